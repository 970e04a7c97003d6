"""The build owns its pipeline: engine builds split over processes, or run by ProperDocs instead
of MkDocs, give the same site; the page cache rebuilds exactly what an edit touched."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from build_tools.bench.synthetic import write_library
from build_tools.site.build import BuildOptions, build_site
from conftest import REPO, copy_project

# its module-scoped builds are made once: pytest-xdist keeps the module on one worker
pytestmark = pytest.mark.xdist_group("engine")

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a site; the engine names itself in one meta tag, which is left out."""
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def build(root: Path, site: Path, **options: object) -> Path:
    build_site(root, site, BuildOptions(handouts=False, **options))  # type: ignore[arg-type]
    return site


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 synthetic topics: 120 topic pages, enough for the build to share them out."""
    return write_library(tmp_path_factory.mktemp("library") / "project", 40, REPO)


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def single_build(library: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The library built by one MkDocs process: what every other way of building must equal."""
    root = tmp_path_factory.mktemp("single") / "project"
    shutil.copytree(library, root)
    return site_files(build(root, root / "site", jobs=1, engine="mkdocs"))


def test_split_build_equals_a_single_engine_build(library: Path, single_build: dict[str, bytes],
                                                  tmp_path: Path) -> None:
    shutil.copytree(library, tmp_path / "split")
    split = build(tmp_path / "split", tmp_path / "split" / "site", jobs=2)
    assert len(list(split.glob("*/syn_*/index.html"))) == 120
    assert differing(single_build, site_files(split)) == []


def test_properdocs_builds_the_same_library_as_mkdocs(library: Path,
                                                      single_build: dict[str, bytes],
                                                      tmp_path: Path) -> None:
    shutil.copytree(library, tmp_path / "properdocs")
    theirs = build(tmp_path / "properdocs", tmp_path / "properdocs" / "site", engine="properdocs")
    assert b"ProperDocs" in (theirs / "index.html").read_bytes()
    assert differing(single_build, site_files(theirs)) == []


def test_properdocs_builds_the_same_example_as_mkdocs(tmp_path: Path) -> None:
    source = copy_project(tmp_path / "example")
    with_mkdocs, with_properdocs = tmp_path / "mkdocs", tmp_path / "properdocs"
    shutil.copytree(source, with_mkdocs)
    shutil.copytree(source, with_properdocs)
    ours = site_files(build(with_mkdocs, with_mkdocs / "site", engine="mkdocs"))
    theirs = build(with_properdocs, with_properdocs / "site", engine="properdocs")
    assert b"ProperDocs" in (theirs / "index.html").read_bytes()
    assert differing(ours, site_files(theirs)) == []


PAGES = re.compile(r"pages: (\d+) built, (\d+) from cache")


def counts(output: str) -> tuple[int, int]:
    found = PAGES.search(output)
    assert found, "the build did not say what it built"
    return int(found.group(1)), int(found.group(2))


def built_and_cached(capsys: pytest.CaptureFixture[str]) -> tuple[int, int]:
    return counts(capsys.readouterr().out)


@pytest.fixture(scope="module")
def built_two_topics(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The two-topic project built once, with the number of pages it built; tests edit copies."""
    import contextlib
    import io

    from projects import two_topics_sharing_a_fact, write_project

    root = write_project(tmp_path_factory.mktemp("two") / "project", two_topics_sharing_a_fact())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        build(root, root / "site")
    built, cached = counts(out.getvalue())
    assert cached == 0
    return root, built


@pytest.fixture
def built_copy(built_two_topics: tuple[Path, int], tmp_path: Path) -> tuple[Path, int]:
    """A copy of the built two-topic project, its page cache included."""
    root, total = built_two_topics
    return Path(shutil.copytree(root, tmp_path / "project", symlinks=True)), total


def test_an_edit_rebuilds_only_the_pages_it_touched(built_copy: tuple[Path, int], capsys) -> None:
    root, total = built_copy
    prose = root / "audiences" / "nurse" / "bracing.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nCheck the skin under the brace.\n",
                     encoding="utf-8")
    build(root, root / "site")
    assert built_and_cached(capsys) == (1, total - 1)
    assert "Check the skin under the brace." in (
        root / "site" / "nurse" / "bracing" / "index.html").read_text(encoding="utf-8")


def test_a_shared_fact_edit_rebuilds_every_page_showing_it(built_copy: tuple[Path, int],
                                                            capsys) -> None:
    root, total = built_copy
    facts = root / "content" / "facts" / "testref_a.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("max: 4", "max: 5"),
                     encoding="utf-8")
    build(root, root / "site")
    assert built_and_cached(capsys) == (6, total - 6)  # two topics x three audiences
    for topic in ("bracing", "resting"):
        page = (root / "site" / "patient" / topic / "index.html").read_text(encoding="utf-8")
        assert 'data-fact="testref_a.rest_weeks"' in page and "3 to 5 weeks" in page


@pytest.mark.parametrize("path, addition, rebuilt", [
    ("templates/theme/assets/edu.css", "\n/* a new rule */\n", "all"),
    ("templates/theme/main.html", "\n{# a comment #}\n", "all"),
    ("mkdocs.yml", "\ncopyright: Test Library\n", "all"),  # a comment: no change (parsed)
    ("templates/topic.md.j2", "\n", 6),
    ("content/glossary.yml", "\n# a comment\n", 0),
])
def test_every_input_of_a_page_is_part_of_its_key(built_copy: tuple[Path, int], capsys, path: str,
                                                  addition: str, rebuilt: int | str) -> None:
    root, total = built_copy
    target = root / path
    target.write_text(target.read_text(encoding="utf-8") + addition, encoding="utf-8")
    build(root, root / "site")
    expected = total if rebuilt == "all" else rebuilt
    assert built_and_cached(capsys) == (expected, total - expected)


def test_library_versions_are_part_of_every_key() -> None:
    from build_tools.core.base.inputs import Inputs, version

    def keys(version_of=version) -> tuple[str, str, str]:
        inputs = Inputs(version_of)  # each build's memory has its own; nothing is left behind
        return inputs.core, inputs.site, inputs.handout

    before = keys()
    for package in ("nh3", "pyphen", "markdown"):
        changed = keys(lambda name, p=package: "0" if name == p else "1")
        assert all(a != b for a, b in zip(before, changed)), package
    only_handouts = keys(lambda name: "0" if name == "segno" else "1")
    same = keys(lambda name: "1")
    assert same[2] != only_handouts[2] and same[:2] == only_handouts[:2]


def test_preview_and_site_keep_their_own_caches(two_topic_project: Path, capsys) -> None:
    root = two_topic_project
    build_site(root, root / "site", BuildOptions())
    cached = sorted((root / "build" / "site").rglob("*"))
    build_site(root, root / "preview-site", BuildOptions(mode="preview"))
    assert sorted((root / "build" / "site").rglob("*")) == cached
    assert (root / "build" / "serve" / "html" / "pages.json").is_file()
    capsys.readouterr()
    build_site(root, root / "site", BuildOptions())  # the preview took none of the site's PDFs
    assert "handouts: 0 rendered, 6 from cache" in capsys.readouterr().out


def test_an_engine_that_hangs_is_stopped_and_reported_as_the_tools_fault(tmp_path: Path) -> None:
    import subprocess
    import sys

    from build_tools.core.base.faults import ToolFault
    from build_tools.site.engine import RunningEngine, finish_engine

    hanging = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with pytest.raises(ToolFault, match="did not finish within 1 s"):
        finish_engine(RunningEngine(hanging, tmp_path / "order.json", 1.0))
    assert hanging.poll() is not None


def listed_words(site: Path) -> set[str]:
    """The search's "did you mean" word list (site.search_words)."""
    return {word for shard in (site / "pagefind" / "words").glob("*.json")
            for word in json.loads(shard.read_text(encoding="utf-8"))}


def test_the_search_word_list_follows_an_edit(built_copy: tuple[Path, int]) -> None:
    """Each page's words are kept between builds: an edited page is read again, and a word
    no page holds any more leaves the list."""
    root, _ = built_copy
    prose = root / "audiences" / "nurse" / "bracing.md"
    original = prose.read_text(encoding="utf-8")
    prose.write_text(original + "\nCheck the skin under the brace, zebrawood or not.\n",
                     encoding="utf-8")
    words = listed_words(build(root, root / "site"))
    assert "zebrawood" in words and "brace" in words
    prose.write_text(original + "\nCheck the skin under the brace, quokkawood or not.\n",
                     encoding="utf-8")
    words = listed_words(build(root, root / "site"))
    assert "quokkawood" in words and "zebrawood" not in words and "brace" in words
