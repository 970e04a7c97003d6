"""`make serve`'s second half: the review view, the search index and the PDFs of the preview,
in a process of their own, after the browser has reloaded.

Run as `python -m build_tools.site.finish --root ROOT --site SITE [--engine E] [--no-handouts]`
by the preview server (site.serve) after each build it shows. In the server's own process their
Python work (the review view, the word list, the handouts' HTML) held the interpreter while the next save was
being built; here it runs on another core, at a lower priority, so the next save goes first.
The content is read again (from the caches the preview keeps in build/serve/): a save made
meanwhile is simply included.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from ..core.faults import ToolFault, internal_lines, io_fault
from ..core.pipeline import generate
from .build import BuildFailed, BuildOptions, finish_outputs
from .outputs import Job
from .registry import standard_outputs

NICENESS = 10  # below the preview server, which builds what the editor is looking at


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.site.finish",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the project folder")
    parser.add_argument("--site", type=Path, required=True, help="the preview's site folder")
    parser.add_argument("--engine", default="mkdocs")
    parser.add_argument("--no-handouts", dest="handouts", action="store_false")
    args = parser.parse_args(argv)
    os.nice(NICENESS)
    result = generate(args.root, "preview")
    if not result.ok:
        return 1  # the server has printed these problems with its own build
    options = BuildOptions(mode="preview", engine=args.engine, handouts=args.handouts,
                           in_place=True)
    try:
        finish_outputs(Job(args.root, result, options), args.site, standard_outputs())
    except BuildFailed as exc:
        print(f"preview: {exc}", flush=True)
        return 1
    except Exception as exc:
        fault = io_fault(exc) if isinstance(exc, OSError) else None
        if fault is not None:  # a full disk, a folder that cannot be written: in one line
            print(f"preview: {fault}", file=sys.stderr, flush=True)
            return fault.exit_code
        tool = exc if isinstance(exc, ToolFault) else ToolFault(  # any other: a bug of ours
            "the preview's search index or PDFs could not be made", traceback.format_exc())
        print(internal_lines(tool, "the next save tries again"), file=sys.stderr)
        return tool.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
