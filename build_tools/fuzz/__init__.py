"""`make fuzz`: a seeded mutation fuzzer of the project's sources.

Each run copies a small fixed project (fixture.py and this checkout's templates), applies one
seeded mutation to one source (mutations.py, yaml_mutations.py, text_mutations.py), runs the
core as `make check` does in a forked child with a time and memory limit (child.py), and
classifies what came back (classify.py). Run `python -m build_tools.fuzz --help`.
"""
