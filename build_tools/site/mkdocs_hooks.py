"""The thin MkDocs glue: only what must happen inside the engine (see `hooks:` in mkdocs.yml).

The build itself is run by build_tools.site.build, which gives the engine its navigation and
options (build_tools.site.engine). Here each page's HTML is sanitised and compacted as the engine
writes it, and the theme's templates are compiled once for every build. Nothing here keeps state
between calls, so any number of engine processes may run these hooks side by side. The same
file serves ProperDocs, the maintained fork of MkDocs 1.6.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache

# The engine loads this file by path: make the package beside it importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from build_tools.core.sanitize import sanitize_html  # noqa: E402
from build_tools.site.compact import compact_html  # noqa: E402


def on_page_content(html: str, **_: Any) -> str:
    return sanitize_html(html)


def on_post_page(output: str, **_: Any) -> str:
    return compact_html(output)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Theme templates compiled once and kept beside the build's Markdown tree."""
    cache = Path(config.docs_dir).parent / "theme-cache"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env
