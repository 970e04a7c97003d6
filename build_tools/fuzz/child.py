"""Run the core on one mutated project in a forked child, within a time and a memory limit.

The child runs what `make check` runs (pipeline.generate, then the editor report) and sends
back plain data through a pipe: the problems, the rendered variants and pages, or the
exception that escaped. The parent never imports the mutated project's state, so one run
cannot change the next, and a run that hangs or eats memory is killed without harm.
"""
from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    """What one run of the core gave, as plain data the classifier can judge.

    status: "done" (generate returned), "exception" (something escaped it), "timeout",
    "memory" (MemoryError) or "died" (the child ended without an answer).
    """

    status: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, str]] = field(default_factory=list)
    pages: list[dict[str, str]] = field(default_factory=list)
    report: str = ""
    error: str = ""  # the exception's type and first line, or why the child ended
    where: str = ""  # the innermost frame of this package (or any) that raised
    trace: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(**data)


def run_core(root: Path) -> dict[str, Any]:
    """In the child: generate and report, as `make check` does; never raises."""
    from ..core.pipeline import generate
    from ..core.report import as_text
    try:
        result = generate(root, "publish")
        report = as_text(result)
        return {"status": "done", "report": report,
                "problems": [_problem(p) for p in result.problems],
                "variants": [{"topic": v.topic.key, "audience": v.audience.key,
                              "numbers": v.audience.numbers,
                              "text": f"{v.title}\n{v.short_answer}\n{v.body}"}
                             for v in result.variants],
                "pages": [{"path": p.path, "text": p.text} for p in result.pages]}
    except MemoryError:
        return {"status": "memory", "error": "MemoryError: the memory limit was reached"}
    except BaseException as exc:  # everything that escapes is what the fuzzer looks for
        raised = _raised(exc)
        return {"status": "exception", "error": _last_line(raised), "where": _where(raised),
                "trace": "".join(traceback.format_exception(exc))}


def _raised(exc: BaseException) -> BaseException:
    """The exception a bug raised: a ToolFault that wraps one only names what was being made
    (the prose of which file), and the bug's own type and frame are what a developer reads."""
    from ..core.base.faults import ToolFault
    return exc.__cause__ if isinstance(exc, ToolFault) and exc.__cause__ is not None else exc


def _problem(problem: Any) -> dict[str, Any]:
    """A Problem as data; a field of the wrong type is kept as its repr, to be judged."""
    out = {}
    for name in ("path", "line", "code", "message", "hint", "severity"):
        value = getattr(problem, name, None)
        if name == "severity":
            value = getattr(value, "value", value)
        ok = value is None or isinstance(value, int if name == "line" else str)
        out[name] = value if ok else f"<{type(value).__name__}> {value!r}"
    return out


def _last_line(exc: BaseException) -> str:
    """The exception's type and the first line of its text (YAML's run over several)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith(str(PACKAGE))]
    if not (own or frames):
        return ""
    frame = (own or frames)[-1]
    name = Path(frame.filename)
    shown = name.relative_to(PACKAGE.parent) if name.is_relative_to(PACKAGE.parent) else name.name
    return f"{shown}:{frame.lineno} in {frame.name}"


def run_forked(root: Path, seconds: float, memory_mb: int,
               target: Callable[[Path], dict[str, Any]] = run_core) -> Outcome:
    """target(root) in a child limited to `seconds` and `memory_mb` more address space."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit, run, answer, and leave without running any cleanup
        os.close(read_end)
        code = 0
        try:
            _quiet()
            _limit_memory(memory_mb)
            try:
                answer = json.dumps(target(root)).encode()
            except MemoryError:  # escaped the target, or the answer itself did not fit
                answer = json.dumps({"status": "memory", "error": "MemoryError"}).encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(answer)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_end)
    data, finished = _read_until(read_end, time.monotonic() + seconds)
    os.close(read_end)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not finished:
        return Outcome("timeout", error=f"no answer within {seconds:g} s")
    if not data:
        return Outcome("died", error=_death(status))
    try:
        return Outcome.from_dict(json.loads(data))
    except ValueError:
        return Outcome("died", error=f"the answer was cut short ({_death(status)})")


def _quiet() -> None:
    """The child's own output (warnings, prints) would interleave with the fuzzer's lines."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def _limit_memory(memory_mb: int) -> None:
    """The child may grow by memory_mb beyond what it inherited from the parent."""
    inherited = _address_space()
    limit = inherited + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe, or what came before the deadline."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return b"".join(chunks), False
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return f"the child was killed by signal {number} ({signal.Signals(number).name})"
    return f"the child exited with status {os.waitstatus_to_exitcode(status)} and no answer"
