"""python -m build_tools.fuzz --runs N --seed S [--only K [--keep DIR]]"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .child import run_core, Outcome
from .classify import CLASSES, FAILING, HARMLESS, classify, printable
from .mutations import Mutation, remove_tree
from .runs import FAMILIES, Limits, Run, make_pristine, run_one


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m build_tools.fuzz",
                                  description="Mutate the sources of a small project at random "
                                              "(seeded) and classify how the core copes.")
    top.add_argument("--runs", type=int, default=200, help="how many runs (default 200)")
    top.add_argument("--seed", type=int, default=1, help="the seed (default 1)")
    top.add_argument("--only", type=int, action="append", metavar="K",
                     help="replay only run K of the seed, with all details (repeatable)")
    top.add_argument("--keep", type=Path, metavar="DIR",
                     help="with one --only: keep the mutated project in DIR (must not exist)")
    top.add_argument("--seconds", type=float, default=10.0, help="time limit of a run (10)")
    top.add_argument("--memory-mb", type=int, default=1024,
                     help="memory a run may add to the fuzzer's own (1024)")
    top.add_argument("--family", choices=sorted(FAMILIES),
                     help="only mutations of this family (replay with the same --family)")
    top.add_argument("--verbose", action="store_true", help="print a line for every run")
    return top


def summary(counts: Counter[str], runs: int) -> str:
    return (f"fuzz: {runs} runs, {counts['clean error']} clean errors, {counts['harmless']} "
            f"harmless, {counts['traceback']} tracebacks, {counts['hang']} hangs, "
            f"{counts['bad message']} bad messages, {counts['silent value change']} "
            "silent value changes")


def fuzz(runs: list[int], seed: int, limits: Limits, verbose: bool = False,
         keep: Path | None = None, details: bool = False, family: str | None = None
         ) -> Counter[str]:
    """Run these runs of the seed, print a line for each finding, and count the classes."""
    counts: Counter[str] = Counter({kind: 0 for kind in CLASSES})
    with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
        pristine = make_pristine(Path(work) / "pristine")
        check_fixture(pristine)
        for index in runs:
            run = run_one(pristine, Path(work), seed, index, limits, keep, family)
            counts[run.verdict.kind] += 1
            if verbose or details or run.verdict.kind in FAILING:
                print(run.line(), flush=True)
            if details:
                print_details(run)
        remove_tree(pristine)
    return counts


def check_fixture(pristine: Path) -> None:
    """The unmutated project must pass, or every run's verdict would mean nothing.

    Run in this process: the imports and parsed files it leaves make each child faster."""
    outcome = Outcome.from_dict(run_core(pristine))
    verdict = classify(outcome, Mutation("none", "", "no mutation"), pristine)
    if verdict.kind != HARMLESS or outcome.problems:
        shown = [f"{p['path']}:{p['line']}: {p['message']}" for p in outcome.problems]
        raise SystemExit(f"fuzz: the fixture project does not pass unmutated: "
                         f"{verdict.kind} {verdict.detail} {shown}")


def print_details(run: Run) -> None:
    """Everything a replayed run gave: the traceback, every problem, what a value must show."""
    outcome = run.outcome
    lines = [f"status: {outcome.status} {outcome.error}"]
    lines += outcome.trace.rstrip().splitlines()
    lines += [f"problem: {problem}" for problem in outcome.problems]
    lines += [f"expects: {expectation}" for expectation in run.mutation.expectations]
    print("\n".join(printable(f"    {line}") for line in lines))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.keep and (not args.only or len(args.only) != 1 or args.keep.exists()):
        print("fuzz: --keep needs exactly one --only K and a folder that does not exist yet",
              file=sys.stderr)
        return 2
    runs = args.only or list(range(args.runs))
    counts = fuzz(runs, args.seed, Limits(args.seconds, args.memory_mb), args.verbose,
                  args.keep, details=bool(args.only), family=args.family)
    print(summary(counts, len(runs)))
    return 1 if any(counts[kind] for kind in FAILING) else 0


if __name__ == "__main__":
    sys.exit(main())
