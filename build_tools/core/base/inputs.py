"""What shapes an output besides the content: this package's code and the libraries it runs.

Every cache key starts from one of these digests, so upgrading a library, editing the code or
installing other fonts makes the next build redo what they touch instead of serving stale output.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # build_tools
# the core: templates, reading level, schemas, the HTML of prose and its sanitising
CORE_LIBRARIES = ("jinja2", "markupsafe", "textstat", "pyphen", "pydantic", "pyyaml",
                  "markdown", "pymdown-extensions", "nh3")
# the site engine and its theme
SITE_LIBRARIES = ("mkdocs", "properdocs", "mkdocs-material", "pygments", "babel")
# the handouts: layout, PDF writing, QR codes
HANDOUT_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "segno",
                     "pillow")


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def digest_of(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def code_digest() -> str:
    """Every source file of this package: a change of any stage's code misses every cache."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def versions(packages: Iterable[str], version_of: Callable[[str], str] = version) -> list[str]:
    return [f"{package}=={version_of(package)}" for package in packages]


@dataclass
class Inputs:
    """The digests of one build memory, each worked out once, when first asked for (reading the
    code and asking fontconfig take a while). version_of says which version of a package is
    installed: a test gives its own, and they go when its Inputs goes."""

    version_of: Callable[[str], str] = version

    @cached_property
    def code(self) -> str:
        return code_digest()

    @cached_property
    def core(self) -> str:
        return digest_of([self.code, *versions(CORE_LIBRARIES, self.version_of)])

    @cached_property
    def site(self) -> str:
        return digest_of([self.core, *versions(SITE_LIBRARIES, self.version_of)])

    @cached_property
    def handout(self) -> str:
        return digest_of([self.core, *versions(HANDOUT_LIBRARIES, self.version_of),
                          pango_version(), installed_fonts()])


def pango_version() -> str:
    """Pango lays the handouts' text out; it comes from Debian, not PyPI."""
    name = ctypes.util.find_library("pango-1.0")
    if name is None:
        return "pango absent"
    library = ctypes.CDLL(name)
    library.pango_version_string.restype = ctypes.c_char_p
    return f"pango {library.pango_version_string().decode()}"


def installed_fonts() -> str:
    """The fonts fontconfig offers WeasyPrint, with their versions."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file} %{fontversion}\n"],
                                 capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "fonts unknown"
    return digest_of(sorted(listing.splitlines()))


def files_digest(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
