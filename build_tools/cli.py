"""Command line: check, build, serve, markdown. Run as `python -m build_tools COMMAND`."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path

from . import timing
from .approve import add_command as add_approve_command
from .pipeline import generate
from .publish import staging_dir, swap_in, write_tree
from .report import as_json, as_text, problem_lines
from .timing import stage


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


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
    build.set_defaults(run=run_build)
    serve = sub.add_parser("serve", help="live preview that shows drafts, marked as drafts")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)
    tree = sub.add_parser("markdown", help="write the plain Markdown tree for another engine")
    tree.add_argument("out", type=Path)
    tree.set_defaults(run=run_markdown)
    add_approve_command(sub)
    for command in (check, build, tree):
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return top


def run_check(args: argparse.Namespace) -> int:
    result = generate(args.root, "preview" if args.preview else "publish", args.strict)
    print(as_json(result) if args.format == "json" else as_text(result))
    return 0 if result.ok else 1


def run_markdown(args: argparse.Namespace) -> int:
    result = generate(args.root, "publish", args.strict)
    print("\n".join(problem_lines(result.problems)), file=sys.stderr)
    if not result.ok:
        return 1
    write_tree(result.pages, args.out)
    print(f"markdown: wrote {len(result.pages)} pages to {args.out}")
    return 0


def _site_env(root: Path, mode: str, strict: bool) -> Path:
    os.environ["EDU_MODE"] = mode
    os.environ["EDU_STRICT"] = "1" if strict else "0"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    config_file = root / "mkdocs.yml"
    (root / "build" / "docs").mkdir(parents=True, exist_ok=True)
    return config_file


def run_build(args: argparse.Namespace) -> int:
    from .mkdocs_hooks import mkdocs_build

    root = args.root.resolve()
    config_file = _site_env(root, "publish", args.strict)
    site_dir = (args.site_dir or root / "site").resolve()
    staging = staging_dir(site_dir)
    try:
        with stage("mkdocs"):
            if not mkdocs_build(config_file, staging):
                return 1
        with stage("swap"):
            swap_in(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already after a successful swap
        timing.save()
    print(f"build: site written to {site_dir}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .mkdocs_hooks import mkdocs_serve

    config_file = _site_env(args.root.resolve(), "preview", False)
    mkdocs_serve(config_file, f"127.0.0.1:{args.port}")
    return 0


