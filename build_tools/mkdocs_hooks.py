"""The thin MkDocs glue: MkDocs calls these hooks (see `hooks:` in mkdocs.yml).

The core knows nothing of MkDocs; here its pages become MkDocs' docs tree and navigation,
every page's HTML is sanitised, and the final HTML is checked before the site is accepted.
Building pages on both cores is in mkdocs_split.py, what only `make serve` needs in
mkdocs_preview.py.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache, TemplateError
from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

# MkDocs loads this file by path, so the project root may not be importable yet.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_tools import mkdocs_split
from build_tools.html_check import check_page, check_stylesheets, compare_reference_lists
from build_tools.mkdocs_preview import (  # noqa: F401  on_serve is a hook MkDocs looks up here
    handouts_after_reload, on_serve, wait_for_handouts)
from build_tools.handout_cache import publish_handouts
from build_tools.pipeline import Mode, content_epoch, generate
from build_tools.problems import apply_strict, errors
from build_tools.publish import compact_html, write_tree
from build_tools.render import template_problem
from build_tools.report import left_out_lines, problem_lines
from build_tools.review_view import write_review_pages
from build_tools.sanitize import sanitize_html
from build_tools.search_index import finish_index, start_index
from build_tools.timing import stage

_last: dict[str, Any] = {}
logging.getLogger("mkdocs.commands.build").addFilter(mkdocs_split.QuietDirty())


def _fail_on(problems: list[Any], stage: str) -> None:
    for line in problem_lines(problems):
        print(line, file=sys.stderr)
    if errors(problems):
        raise Abort(f"{stage}: {len(errors(problems))} error(s); the site was not changed")


def on_config(config: Any) -> Any:
    wait_for_handouts()
    root = Path(config.config_file_path).parent
    mode: Mode = "preview" if os.environ.get("EDU_MODE") == "preview" else "publish"
    result = generate(root, mode, strict=os.environ.get("EDU_STRICT") == "1")
    _last["result"] = result
    _fail_on(result.problems, "content check")
    for line in left_out_lines(result):
        print(line)
    assert result.library is not None
    with stage("write tree"):
        write_tree(result.pages, Path(config.docs_dir))
    settings = result.library.site.settings
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        os.environ["SOURCE_DATE_EPOCH"] = str(content_epoch(result.library))
    config.nav = result.nav
    config.site_name = settings.site_name
    config.site_url = config.site_url or settings.site_url
    config.extra["edu_general_disclaimer"] = result.library.site.disclaimers["general"]
    audiences = sorted(result.library.audiences.values(), key=lambda a: (a.order, a.key))
    config.extra["edu_audiences"] = {a.key: a.label for a in audiences}
    return config


def on_startup(command: str, dirty: bool) -> None:
    _last["dirty"] = dirty


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    mkdocs_split.split(files, config, dirty=bool(_last.get("dirty")))
    return nav


def on_page_content(html: str, **_: Any) -> str:
    return sanitize_html(html)


def on_post_page(output: str, page: Any, **_: Any) -> str:
    html = compact_html(output)
    with stage("html check"):  # here, each core checks the pages it builds
        _last.setdefault("checked", []).append(
            (page.file.dest_uri, *check_page(html, page.file.dest_uri, _last["result"].library)))
    return html


def on_build_error(error: Exception) -> None:
    if mkdocs_split.is_worker():
        print(f"build failed: {error}", file=sys.stderr)
        mkdocs_split.leave_if_worker(1)
    mkdocs_split.join()


def on_post_build(config: Any) -> None:
    checked, _last["checked"] = _last.get("checked", []), []
    mkdocs_split.leave_if_worker(results=checked)
    worked, theirs = mkdocs_split.join()
    if not worked:
        raise Abort("a page failed to build; the site was not changed")
    result = _last["result"]
    assert result.library is not None
    strict = os.environ.get("EDU_STRICT") == "1"
    site = Path(config.site_dir)
    _last["builds"] = _last.get("builds", 0) + 1
    preview_rebuild = bool(_last.get("dirty")) and _last["builds"] > 1
    # the indexes are made by their own processes while this one checks and prints; a preview
    # rebuild keeps the indexes of the session's first build
    indexers = {} if preview_rebuild else start_index(
        site, sorted(result.library.audiences), result.library.site.settings.language)
    try:
        with stage("html check"):
            found = _site_problems(site, result.library, checked + (theirs or []), preview_rebuild)
        _fail_on(apply_strict(found, strict), "HTML check")
        _handouts(config, result, site, preview_rebuild)
        if os.environ.get("EDU_MODE") == "preview":  # /_review/<topic>/: make serve only
            write_review_pages(site, result)
    finally:  # even when a check fails: no indexer may write into a staging folder being removed
        with stage("search index"):
            indexed = finish_index(indexers, site) if indexers else []
    _fail_on(indexed, "search index")


def _handouts(config: Any, result: Any, site: Path, preview_rebuild: bool) -> None:
    root, epoch = Path(config.config_file_path).parent, int(os.environ["SOURCE_DATE_EPOCH"])
    mode: Mode = "preview" if os.environ.get("EDU_MODE") == "preview" else "publish"
    if preview_rebuild:  # the browser reloads now, the PDFs follow
        handouts_after_reload(root, result, site, epoch, mode)
        return
    with stage("handouts"):
        handouts = publish_handouts(root, result, site, epoch, mode)
    _fail_on(handouts.problems, "handouts")
    print(handouts)


def _site_problems(site: Path, library: Any, checked: list[Any], preview_rebuild: bool) -> list[Any]:
    """The pages' problems found as they were written, the pages MkDocs writes otherwise
    (404.html), and what needs every page: identical reference lists, the stylesheets."""
    problems = [p for _, found, _ in checked for p in found]
    listings = [listing for _, _, listing in checked if listing]
    if not preview_rebuild:
        done = {uri for uri, _, _ in checked}
        others = [p for p in sorted(site.rglob("*.html"))
                  if p.relative_to(site).as_posix() not in done]
        for path in others:
            found, listing = check_page(path.read_bytes(), path.relative_to(site).as_posix(), library)
            problems += found
            listings += [listing] if listing else []
    return problems + compare_reference_lists(listings) + check_stylesheets(site)


def mkdocs_build(config_file: Path, site_dir: Path) -> bool:
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        # dirty: into the empty staging folder it builds what a clean build does, and lets
        # mkdocs_split give each core half of the pages
        config.plugins.on_startup(command="build", dirty=True)
        build(config, dirty=True)
        config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return False
    except TemplateError as exc:  # a theme override in templates/theme/ that does not render
        print(template_problem(exc, config_file.parent, "theme-template"), file=sys.stderr)
        print("build failed: the theme did not render; the site was not changed", file=sys.stderr)
        return False
    return True


def mkdocs_serve(config_file: Path, address: str) -> None:
    # dirty: a rebuild renders only the pages whose Markdown the core rewrote (write_tree
    # leaves unchanged files alone); another page's navigation may show an old title until
    # the next full build
    serve(config_file=str(config_file), dev_addr=address, livereload=True, build_type="dirty")


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Theme templates compiled once, kept in build/cache/ for the next build and rebuild."""
    cache = Path(config.config_file_path).parent / "build" / "cache" / "theme"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env
