"""The published site's Material stylesheets, trimmed to the rules its pages can use (css_trim).

Material's main stylesheet is about 135 KB, most of it for components this site does not use
(blog, tabs, code copying, consent, versions); every page loads it before its first paint.
Published builds only: the step reads the pages as they were placed in the staging folder,
with the scripts they load, and replaces the stylesheets there; a stylesheet tinycss2 cannot
read stops the build before the swap, so the last good site stays. The preview (`make serve`)
serves Material's stylesheets whole: a save never waits for every page to be read again, and a
class a new page uses is styled at once; the trimmed sheet keeps every rule a published page
can use, so it looks the same.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.base.problems import Problem
from ..core.base.records import write_whole
from .css_trim import trim_stylesheet, words_in
from .html_pages import files_under
from .keys import engine_config, theme_folder
from .outputs import Job, Output

STYLESHEETS = "assets/stylesheets"  # Material's own: main.<hash>.min.css, palette.<hash>.min.css
SCRIPT_SRC = re.compile(rb"""<script\b[^>]*?\bsrc=["']?([^"'\s>]+)""")
STATIC_IMPORT = re.compile(r"""\bimport\b[^"'();]*?["'](\.{1,2}/[^"']+)["']""")


class TrimmedStyles(Output):
    name = "trim css"
    step = "pages"
    modes = ("publish",)
    stops_as = "stylesheet trim"

    def publish(self, job: Job, site: Path) -> list[Problem]:
        with job.timing.stage(self.name):
            return self._trim(job, site)

    def _trim(self, job: Job, site: Path) -> list[Problem]:
        # the site's, and each translated edition's copy of the theme (es/assets/)
        sheets = sorted((site / STYLESHEETS).glob("*.min.css")) + [
            sheet for language in sorted(job.result.editions)
            for sheet in sorted((site / language / STYLESHEETS).glob("*.min.css"))]
        if not sheets:
            return []
        words = words_in(site_texts(site, job.later))
        problems: list[Problem] = []
        for sheet in sheets:
            trimmed = trim_stylesheet(sheet.read_text(encoding="utf-8"), words)
            if trimmed.errors:
                problems += _unreadable(job, sheet.relative_to(site).as_posix(), trimmed.errors)
                continue
            write_whole(sheet, trimmed.css.encode("utf-8"))
            # the source map describes the whole sheet; the trimmed one no longer names it
            sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
        return problems


def site_texts(site: Path, skip: tuple[str, ...] = ()) -> list[str]:
    """The site's HTML pages and the scripts they load (and those scripts' static imports);
    skip: top-level folders left out (what the "finish" step writes: no pages in Material's
    dress)."""
    texts: list[str] = []
    scripts: set[Path] = set()
    for page in files_under(site):
        if page.suffix != ".html" or page.relative_to(site).parts[0] in skip:
            continue
        data = page.read_bytes()
        texts.append(data.decode("utf-8", errors="replace"))
        for src in SCRIPT_SRC.findall(data):
            scripts.add(Path(os.path.normpath(page.parent / src.decode("utf-8", "replace"))))
    seen: set[Path] = set()
    while scripts:
        script = scripts.pop()
        if script in seen or not script.is_file() or not script.is_relative_to(site):
            continue
        seen.add(script)
        text = script.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        scripts |= {Path(os.path.normpath(script.parent / i)) for i in STATIC_IMPORT.findall(text)}
    return texts


def _unreadable(job: Job, rel: str, errors: tuple[str, ...]) -> list[Problem]:
    """Named by the theme override that replaced Material's sheet, if one did."""
    config_file = job.root / "mkdocs.yml"
    theme = theme_folder(config_file, engine_config(job.options.engine, config_file))
    override = theme / rel if theme else None
    if override is not None and override.is_file():
        path = override.relative_to(job.root).as_posix() if override.is_relative_to(job.root) \
            else str(override)
        fix = "fix the CSS at that line, or delete the file to use Material's own"
    else:
        path, fix = f"site/{rel}", "reinstall mkdocs-material as requirements.txt pins it"
    problems = []
    for error in errors:
        line, column, message = error.split(":", 2)
        problems.append(Problem(path, int(line),
                                "stylesheet-unreadable",
                                f"the stylesheet cannot be read as CSS at column {column}:"
                                f"{message}", fix))
    return problems
