"""Command line: check, build, serve, markdown. Run as `python -m build_tools COMMAND`."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .core import timing
from .core.faults import EXIT_INTERNAL, Fault, PortInUse, busy_fault, io_fault, port_fault
from .core.pipeline import generate
from .core.problems import ContentError, Problem
from .core.report import as_json, as_text, problem_lines
from .site.build import BuildFailed, BuildOptions, build_site
from .site.engine import ENGINES
from .site.markdown_tree import refuse_unsafe_destination, write_tree
from .site.publish import BuildBusy
from .approve import add_command as add_approve_command


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except PortInUse as exc:  # the machine's faults: named, with what to do, no traceback
        return _fault(port_fault(exc))
    except BuildBusy as exc:
        return _fault(busy_fault(str(exc)))
    except OSError as exc:
        fault = io_fault(exc)
        if fault is None:
            return _internal()
        return _fault(fault)
    except Exception:
        return _internal()


def _fault(fault: Fault) -> int:
    print(fault, file=sys.stderr)
    return fault.exit_code


def _internal() -> int:
    """A fault of this tool, not of the content: say so, with the traceback."""
    traceback.print_exc()
    print("internal error: the build tool failed (not a content problem); the site was "
          "not changed. Please report the traceback above.", file=sys.stderr)
    return EXIT_INTERNAL


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m build_tools",
                                  description="Build the patient and clinician education site.")
    top.add_argument("--root", type=Path, default=Path.cwd(),
                     help="the project folder (default: the current folder)")
    sub = top.add_subparsers(required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate everything and print the editor report")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--preview", action="store_true", help="check as make serve would")
    check.set_defaults(run=run_check)
    build = sub.add_parser("build", help="build the site; the old site stays unless all passes")
    build.add_argument("--site-dir", type=Path, help="where the site goes (default: site/)")
    build.add_argument("--timings", type=Path, help="write each stage's seconds to this JSON file")
    build.set_defaults(run=run_build)
    serve = sub.add_parser("serve", help="live preview that shows drafts, marked as drafts")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)
    tree = sub.add_parser("markdown", help="write the plain Markdown tree for another engine")
    tree.add_argument("out", type=Path, help="a folder outside the project's sources; only "
                      "files this command wrote there are ever replaced or removed")
    tree.set_defaults(run=run_markdown)
    add_approve_command(sub)
    for command in (check, build, tree):
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    for command in (build, serve):
        command.add_argument("--engine", choices=ENGINES, default="mkdocs",
                             help="the site engine (default: mkdocs)")
        command.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                             help="engine processes for many pages (default: one per core)")
    return top


def run_check(args: argparse.Namespace) -> int:
    result = generate(args.root, "preview" if args.preview else "publish", args.strict)
    print(as_json(result) if args.format == "json" else as_text(result))
    return 0 if result.ok else 1


def run_markdown(args: argparse.Namespace) -> int:
    try:
        refuse_unsafe_destination(args.out, args.root)
    except ContentError as exc:
        print(Problem(str(args.out), None, exc.code, exc.message, exc.hint), file=sys.stderr)
        return 2
    result = generate(args.root, "publish", args.strict)
    print("\n".join(problem_lines(result.problems)), file=sys.stderr)
    if not result.ok:
        return 1
    try:
        write_tree(result.pages, args.out)
    except ContentError as exc:
        print(Problem(str(args.out), None, exc.code, exc.message, exc.hint), file=sys.stderr)
        return 2
    print(f"markdown: wrote {len(result.pages)} pages to {args.out}")
    return 0


def _options(args: argparse.Namespace, mode: str) -> BuildOptions:
    return BuildOptions(mode="preview" if mode == "preview" else "publish",
                        strict=bool(getattr(args, "strict", False)), engine=args.engine,
                        jobs=max(1, args.jobs))


def run_build(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    site_dir = (args.site_dir or root / "site").resolve()
    try:
        build_site(root, site_dir, _options(args, "publish"))
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.timings:
            timing.save(args.timings)
    print(f"build: site written to {site_dir}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .site.serve import serve

    serve(args.root.resolve(), args.port, _options(args, "preview"))
    return 0
