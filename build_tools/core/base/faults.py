"""Faults that are not the content's: of the machine (a full disk, an output folder that cannot
be written, a port in use, a build already running), each named in one line with what to do
and its own exit code (after BSD's sysexits.h); and of this tool or a program it runs (a bug,
a site engine that crashed or hung), all raised as ToolFault and exiting 70.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass

EXIT_CONTENT = 1
EXIT_PORT_IN_USE = 69  # EX_UNAVAILABLE
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_CANNOT_WRITE = 73  # EX_CANTCREAT
EXIT_IO = 74  # EX_IOERR
EXIT_BUSY = 75  # EX_TEMPFAIL

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


@dataclass(frozen=True)
class Fault:
    exit_code: int
    line: str

    def __str__(self) -> str:
        return self.line


class ToolFault(Exception):
    """A fault of this tool or of a program it runs (the site engine, WeasyPrint, a worker
    pool), never of the content: the build stops, and the command exits 70 saying so, with
    the details a maintainer needs (a traceback, the engine's last output)."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message, details)  # both in args: it crosses process pools pickled
        self.message, self.details = message, details

    def __str__(self) -> str:
        return self.message


def internal_lines(fault: ToolFault, outcome: str = "the site was not changed") -> str:
    """What the command prints: the details first, then one line that says whose fault it is."""
    details = fault.details.rstrip()
    report = "the traceback" if details.startswith("Traceback") else "the output"
    closing = f" Please report {report} above." if details else " Please report it."
    return ((details + "\n" if details else "")
            + f"internal error: {fault.message} (not a content problem); {outcome}.{closing}")


class PortInUse(Exception):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"{host}:{port}")
        self.host, self.port = host, port


def io_fault(exc: OSError) -> Fault | None:
    """The line and exit code for an OSError the machine caused, or None for any other."""
    where = str(exc.filename) if exc.filename else "the output folder"
    if exc.errno in DISK_FULL:
        return Fault(EXIT_IO, f"{where}: error: the disk is full, nothing more can be written; "
                              "free some space (or remove build/) and run again [disk-full]")
    if exc.errno == errno.EIO:
        return Fault(EXIT_IO, f"{where}: error: the disk reported an input/output error; "
                              "check the disk and run again [io-error]")
    if exc.errno == errno.EROFS:
        return Fault(EXIT_CANNOT_WRITE, f"{where}: error: cannot write here, the file system is "
                                        "read-only; build on a writable disk, or give another "
                                        "folder with --site-dir [cannot-write]")
    if exc.errno in NOT_WRITABLE:
        return Fault(EXIT_CANNOT_WRITE, f"{where}: error: permission denied; the build must read "
                                        "the sources and write site/ and build/: give yourself "
                                        "access, or build into another folder with --site-dir "
                                        "[no-permission]")
    return None


def port_fault(exc: PortInUse) -> Fault:
    return Fault(EXIT_PORT_IN_USE,
                 f"{exc.host}:{exc.port}: error: the port is already in use by another program "
                 "(perhaps another preview); stop it, or choose another port: python -m "
                 f"build_tools serve --port {exc.port + 1} [port-in-use]")


def busy_fault(message: str) -> Fault:
    return Fault(EXIT_BUSY, f"error: {message}; stop it first, or use the preview that is "
                            "already running [build-busy]")
