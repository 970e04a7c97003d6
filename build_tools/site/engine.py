"""Publish, second step: one ordinary build of the site engine (MkDocs or ProperDocs).

Each build is its own process, started with an order file that says everything it needs: the
configuration file, the options that override it (the Markdown tree, the output folder, the
navigation, which pages to build) and extra template data. The process uses only the engine's
public API (load the configuration, build), so the same order runs under MkDocs 1.6 or its
maintained fork ProperDocs, and a build that hangs is stopped by a timeout.

Run as `python -m build_tools.site.engine ORDER.json`; exit 0 on success, 1 when the build
failed, and the outcome and the number of warnings are written beside the order
(ORDER.json.result). A process that ends without writing that file crashed (an exception in a
hook or in the engine, a signal): that is the tool's fault (ToolFault), not the content's.
"""
from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from ..core.base.faults import ToolFault
from ..core.base.records import write_whole
from ..core.render.render import template_problem

ENGINES = ("mkdocs", "properdocs")
PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # where `build_tools` is importable from


@dataclass
class EngineOrder:
    """One engine build. `pages` limits it to those Markdown files (all when None): the others
    stay in the navigation but are not written, through the engine's own `exclude_docs`."""

    engine: str
    config_file: str
    docs_dir: str
    site_dir: str
    nav: list[Any]
    site_name: str
    site_url: str
    epoch: int
    extra: dict[str, Any] = field(default_factory=dict)
    pages: list[str] | None = None
    # folders of the Markdown tree the engine leaves out (another edition's: es/)
    exclude: list[str] = field(default_factory=list)
    # the site's language (site_config/site.yml): the theme's own words and <html lang>
    language: str = "en"
    # the tooltip of a heading's link, in that language (the strings file's)
    permalink_title: str | None = None


@dataclass
class EngineResult:
    ok: bool
    warnings: int
    output: str


OUTPUT_SHOWN = 3000  # characters of a crashed engine's output in the report: its traceback


@dataclass
class RunningEngine:
    process: subprocess.Popen[str]
    order_file: Path
    timeout: float


def run_engine(order: EngineOrder, order_file: Path, timeout: float) -> RunningEngine:
    """Start one build; wait for it with finish_engine."""
    Path(f"{order_file}.result").unlink(missing_ok=True)  # only this run's may witness it
    write_whole(order_file, json.dumps(asdict(order)).encode("utf-8"))
    command = [sys.executable, "-m", "build_tools.site.engine", str(order_file)]
    # the reproducible-builds convention: the engine dates the site from the content, not the clock
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(order.epoch)}
    process = subprocess.Popen(command, cwd=PACKAGE_PARENT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    return RunningEngine(process, order_file, timeout)


def finish_engine(running: RunningEngine) -> EngineResult:
    """The build's result; raises ToolFault when the engine hung (it is stopped) or crashed."""
    process = running.process
    try:
        output, _ = process.communicate(timeout=running.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise ToolFault(f"the site engine did not finish within {running.timeout:g} s and was "
                        "stopped; if the library is only large, allow it more with "
                        "--engine-timeout SECONDS",
                        _tail(output)) from None
    reported = _reported(running.order_file)
    if reported is None or process.returncode not in (0, 1):
        raise ToolFault(f"the site engine stopped without finishing its build "
                        f"(exit code {process.returncode})", _tail(output))
    ok, warnings = reported
    return EngineResult(ok and process.returncode == 0, warnings, output)


def _reported(order_file: Path) -> tuple[bool, int] | None:
    """(built, warnings) as the engine's process wrote them, or None when it wrote nothing."""
    try:
        result = json.loads(Path(f"{order_file}.result").read_text(encoding="utf-8"))
        return bool(result["ok"]), int(result["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _tail(output: str | None) -> str:
    text = (output or "").strip()
    return text if len(text) <= OUTPUT_SHOWN else "...\n" + text[-OUTPUT_SHOWN:]


def exclusions(pages: list[str] | None) -> str | None:
    """gitignore-style `exclude_docs`: every Markdown page except the ones to build."""
    if pages is None:
        return None
    return "\n".join(["*.md", *(f"!/{page}" for page in pages)])


class WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def build(order: EngineOrder) -> None:
    """Load the configuration with the order's options, and build. The engine dates what it
    writes from SOURCE_DATE_EPOCH, which run_engine gives the engine's process; a build in this
    process (the preview's) leaves the environment alone: the one dated file the engine writes,
    its sitemap, is replaced by ours (publish.write_sitemap, dated from the content)."""
    config_module = importlib.import_module(f"{order.engine}.config")
    build_module = importlib.import_module(f"{order.engine}.commands.build")
    options: dict[str, Any] = {"docs_dir": order.docs_dir, "site_dir": order.site_dir,
                               "nav": order.nav, "site_name": order.site_name,
                               "site_url": order.site_url, "strict": False}
    if order.pages is not None:
        options["exclude_docs"] = exclusions(order.pages)
    elif order.exclude:
        options["exclude_docs"] = "\n".join(f"/{folder}/" for folder in order.exclude)
    config = config_module.load_config(order.config_file, **options)
    config["extra"].update(order.extra)
    set_theme_language(config["theme"], order.language)
    toc = config["mdx_configs"].get("toc")
    if order.permalink_title and isinstance(toc, dict) and toc.get("permalink"):
        toc["permalink_title"] = order.permalink_title
    build_module.build(config)


def set_theme_language(theme: Any, language: str) -> None:
    """Material's words (search, navigation, <html lang>) in the site's language: its
    partials/languages/<code>.html for the code itself (pt-BR), else its base language (es for
    es-MX), found in the theme's own folders; a language the theme has no words for keeps
    mkdocs.yml's `theme.language` (and Material's English)."""
    for code in dict.fromkeys([language, language.split("-")[0]]):
        if any((Path(folder) / "partials" / "languages" / f"{code}.html").is_file()
               for folder in theme.dirs):
            theme["language"] = code
            return


def build_here(order: EngineOrder) -> EngineResult:
    """The build in this process: what the engine's process runs, and what `make serve` runs
    directly (the engine stays loaded between rebuilds, so a saved edit shows sooner)."""
    counter = WarningCount()
    logging.getLogger().addHandler(counter)
    exceptions = importlib.import_module(f"{order.engine}.exceptions")
    failures = (exceptions.Abort, exceptions.ConfigurationError, exceptions.BuildError)
    try:
        build(order)
        return EngineResult(True, counter.count, "")
    except failures as exc:
        return EngineResult(False, counter.count, f"build failed: {exc}")
    except TemplateError as exc:  # a theme override in templates/theme/ that does not render
        root = Path(order.config_file).resolve().parent
        return EngineResult(False, counter.count, f"{template_problem(exc, root, 'theme-template')}"
                                                  "\nbuild failed: the theme did not render")
    finally:
        logging.getLogger().removeHandler(counter)


def main(argv: list[str]) -> int:
    order_file = Path(argv[0])
    order = EngineOrder(**json.loads(order_file.read_text(encoding="utf-8")))
    if order.engine not in ENGINES:
        print(f"unknown site engine {order.engine!r}; use one of {', '.join(ENGINES)}")
        return 1
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    result = build_here(order)
    if result.output:
        print(result.output)
    write_whole(Path(f"{order_file}.result"),
                json.dumps({"ok": result.ok, "warnings": result.warnings}).encode("utf-8"))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
