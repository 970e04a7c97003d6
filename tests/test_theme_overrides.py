"""The theme overrides stay in step with the installed Material for MkDocs.

Every file in templates/theme/ that takes the place of a Material template of the same path is
recorded in templates/material_copies.yml with the Material version it was made from; when
Material is upgraded, each such file must be compared with the new original before the build
can be trusted to show what Material's new version expects (a renamed class, a moved block)."""
from importlib.metadata import version
from pathlib import Path

import material
import pytest
import yaml
from jinja2 import Environment, nodes

from build_tools.site.toggle_autocomplete import TOGGLE_AUTOCOMPLETE, drop_toggle_autocomplete
from conftest import REPO

THEME = REPO / "templates" / "theme"
RECORDS_FILE = "templates/material_copies.yml"
RECORDS: dict = yaml.safe_load((REPO / RECORDS_FILE).read_text(encoding="utf-8"))
MATERIAL = Path(material.__file__).parent / "templates"
KINDS = {"blocks", "copy", "own"}


def installed_material() -> str:
    return version("mkdocs-material")


def shadowing_files() -> list[str]:
    """Files of the theme override whose path is also one of Material's templates."""
    return sorted(path.relative_to(THEME).as_posix() for path in THEME.rglob("*")
                  if path.is_file() and (MATERIAL / path.relative_to(THEME)).is_file())


def parsed(path: Path) -> nodes.Template:
    return Environment().parse(path.read_text(encoding="utf-8"))


def test_every_file_in_materials_place_is_recorded():
    missing = [name for name in shadowing_files() if name not in RECORDS]
    assert not missing, (
        f"templates/theme/ takes the place of Material's {', '.join(missing)} with no record in "
        f"{RECORDS_FILE}: override a block in main.html instead if Material offers one, or add "
        f"a record (kind, material_version: {installed_material()}, why)")


def test_every_record_names_a_file_in_materials_place():
    stale = sorted(set(RECORDS) - set(shadowing_files()))
    assert not stale, (f"{RECORDS_FILE} records {', '.join(stale)}, which is not in both "
                       "templates/theme/ and Material's templates: remove the record")


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_record_is_complete(name):
    record = RECORDS[name]
    assert record.get("kind") in KINDS, f"{RECORDS_FILE}: {name}: kind must be one of {KINDS}"
    assert str(record.get("material_version", "")).strip(), \
        f"{RECORDS_FILE}: {name}: give the Material version it was made from"
    assert len(str(record.get("why", "")).split()) >= 5, \
        f"{RECORDS_FILE}: {name}: say why the file takes Material's place"


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_made_from_the_installed_material(name):
    made_from, installed = str(RECORDS[name]["material_version"]), installed_material()
    assert made_from == installed, (
        f"templates/theme/{name} was made from Material {made_from}, but Material {installed} "
        f"is installed: diff it against {MATERIAL / name} (and, for a block override, "
        f"the blocks it replaces in {MATERIAL / 'base.html'}), bring it in step, then set "
        f"its material_version in {RECORDS_FILE} to {installed}")


def defined_blocks(template: nodes.Template) -> set[str]:
    return {block.name for block in template.find_all(nodes.Block)}


@pytest.mark.parametrize("name", sorted(n for n, r in RECORDS.items() if r["kind"] == "blocks"))
def test_block_override_only_overrides_blocks_material_has(name):
    """A block Material renamed or dropped would be ignored without a word."""
    template = parsed(THEME / name)
    stray = [node for node in template.body
             if not isinstance(node, (nodes.Extends, nodes.Block))
             and not (isinstance(node, nodes.Output)
                      and all(isinstance(n, nodes.TemplateData) and not n.data.strip()
                              for n in node.nodes))]
    assert template.find(nodes.Extends) and not stray, (
        f"templates/theme/{name}: a block override holds only `extends` and blocks; "
        f"markup outside a block makes it a copy (kind: copy in {RECORDS_FILE})")
    known = set().union(*(defined_blocks(parsed(path)) for path in MATERIAL.glob("*.html")))
    unknown = sorted(defined_blocks(template) - known)
    assert not unknown, (f"templates/theme/{name} overrides block(s) {', '.join(unknown)}, "
                         f"which Material {installed_material()} does not have: find their "
                         "new name in Material's base.html")


def test_materials_toggles_lose_autocomplete():
    """The drawer and search checkboxes are valid HTML without a copy of base.html: the engine
    hook finds both in the installed Material's markup (build_tools/site/toggle_autocomplete.py)."""
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert len(TOGGLE_AUTOCOMPLETE.findall(base)) == 2, (
        "Material's base.html no longer writes the drawer and search toggles as "
        "build_tools/site/toggle_autocomplete.py expects: update its pattern")
    fixed = drop_toggle_autocomplete(base)
    assert 'id="__drawer">' in fixed and 'id="__search">' in fixed
    assert 'autocomplete="off">' not in "".join(
        line for line in fixed.splitlines() if 'class="md-toggle"' in line)
