"""Faults of the machine, not of the content or of this tool: a full disk, an output folder
that cannot be written, a port in use, a build already running. Each is named in one line with
what to do, and has its own exit code (after BSD's sysexits.h); the tool's own faults stay 70.
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
