"""Command line: check, build, serve, markdown. Run as `python -m build_tools COMMAND`."""
from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from pathlib import Path

from .core.base.faults import (Fault, PortInUse, ToolFault, busy_fault, internal_lines, io_fault,
                          port_fault)
from .core.memory import BuildMemory
from .core.pipeline import generate
from .core.base.problems import ContentError, Problem
from .core.report import as_json, as_text, problem_lines
from .site.build import BuildFailed, BuildOptions, build_site
from .site.engine import ENGINES
from .site.html_pages import ENGINE_TIMEOUT
from .site.markdown_tree import refuse_unsafe_destination, write_tree
from .site.publish import BuildBusy
from .approve import add_command as add_approve_command
from .translated import add_command as add_translated_command


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
    except ToolFault as exc:  # the tool's own faults that it recognised: the engine's, say
        return _internal(exc)
    except OSError as exc:
        fault = io_fault(exc)
        if fault is None:
            return _internal(_unexpected())
        return _fault(fault)
    except Exception:  # any other exception is a bug of this tool: the same fault
        return _internal(_unexpected())


def _fault(fault: Fault) -> int:
    print(fault, file=sys.stderr)
    return fault.exit_code


def _unexpected() -> ToolFault:
    """The exception being handled, as the tool's fault, its traceback the details."""
    return ToolFault("the build tool failed", traceback.format_exc())


def _internal(fault: ToolFault) -> int:
    """A fault of this tool, not of the content: say so, with what a maintainer needs."""
    print(internal_lines(fault), file=sys.stderr)
    return fault.exit_code


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
    add_translated_command(sub)
    for command in (check, build, tree):
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    for command in (build, serve):
        command.add_argument("--engine", choices=ENGINES, default="mkdocs",
                             help="the site engine (default: mkdocs)")
        command.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                             help="engine processes for many pages (default: one per core)")
        command.add_argument("--engine-timeout", type=seconds, default=ENGINE_TIMEOUT,
                             metavar="SECONDS",
                             help="stop an engine process that takes longer, as the tool's "
                                  f"fault (exit 70; default: {ENGINE_TIMEOUT:g})")
    return top


def seconds(text: str) -> float:
    """A time limit: a positive number of seconds ("0", "-5", "nan" and "inf" are refused)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def run_check(args: argparse.Namespace) -> int:
    result = generate(args.root, "preview" if args.preview else "publish", args.strict)
    print(as_json(result) if args.format == "json" else as_text(result))
    return 0 if result.ok else 1


def _refused(out: Path, exc: ContentError) -> int:
    """The Markdown output folder was refused (the project's sources, or not written by us)."""
    print(Problem(str(out), None, exc.code, exc.message, exc.hint), file=sys.stderr)
    return 2


def run_markdown(args: argparse.Namespace) -> int:
    try:
        refuse_unsafe_destination(args.out, args.root)
    except ContentError as exc:
        return _refused(args.out, exc)
    result = generate(args.root, "publish", args.strict)
    print("\n".join(problem_lines(result.problems)), file=sys.stderr)
    if not result.ok:
        return 1
    pages = result.pages + [p for e in result.editions.values() for p in e.pages]
    try:
        write_tree(pages, args.out)
    except ContentError as exc:
        return _refused(args.out, exc)
    print(f"markdown: wrote {len(pages)} pages to {args.out}")
    return 0


def _options(args: argparse.Namespace, mode: str) -> BuildOptions:
    return BuildOptions(mode="preview" if mode == "preview" else "publish",
                        strict=bool(getattr(args, "strict", False)), engine=args.engine,
                        jobs=max(1, args.jobs), engine_timeout=args.engine_timeout)


def run_build(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    site_dir = (args.site_dir or root / "site").resolve()
    memory = BuildMemory()
    try:
        build_site(root, site_dir, _options(args, "publish"), memory=memory)
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.timings:
            memory.timing.save(args.timings)
    print(f"build: site written to {site_dir}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .site.serve import serve

    serve(args.root.resolve(), args.port, _options(args, "preview"))
    return 0
