"""The same inputs give the same site, byte for byte; a failed build leaves the last site alone."""
from __future__ import annotations

import gzip
import struct
from pathlib import Path

from build_tools.core.pipeline import content_epoch
from build_tools.core.read.validate import load_library
from conftest import copy_project, run_cli
from projects import small_project, write_project
from test_faults import PATIENT, changed, tree_digest


def built(root: Path, fresh_handouts: bool = False, **env: str) -> Path:
    result = run_cli(root, "build", env=env or None, fresh_handouts=fresh_handouts)
    assert result.code == 0, result.text
    return root / "site"


def gzip_mtime(path: Path) -> int:
    """The timestamp gzip writes into its header (bytes 4-7), which breaks naive reproducibility."""
    return int(struct.unpack("<I", path.read_bytes()[4:8])[0])


def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path):
    first = built(copy_project(tmp_path / "one" / "project"), fresh_handouts=True)
    # another folder, time zone and locale: none of them may reach the output, PDFs included
    second = built(copy_project(tmp_path / "two" / "elsewhere"), fresh_handouts=True,
                   TZ="Pacific/Kiritimati", LC_ALL="C")
    for part in ("sitemap.xml", "sitemap.xml.gz", "pagefind/patient/pagefind-entry.json", "index.html"):
        assert (first / part).read_bytes() == (second / part).read_bytes(), part
    assert tree_digest(first) == tree_digest(second)


def test_timestamps_come_from_the_content_not_the_clock(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    site = built(root)
    library, _ = load_library(root)
    assert library is not None
    epoch = content_epoch(library)
    assert gzip_mtime(site / "sitemap.xml.gz") == epoch
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_a_failed_build_keeps_the_site_and_the_fixed_build_gives_it_back(tmp_path: Path):
    root = write_project(tmp_path / "project", small_project())
    good = tree_digest(built(root))
    prose = (root / PATIENT).read_text(encoding="utf-8")
    changed(PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_scor }}")(root)
    failed = run_cli(root, "build")
    assert failed.code == 1
    assert tree_digest(root / "site") == good
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    (root / PATIENT).write_text(prose, encoding="utf-8")
    assert tree_digest(built(root)) == good
