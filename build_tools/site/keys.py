"""The cache keys of the site's outputs, each built here from the inputs it declares.

A key is a digest of named parts (digest_of); an output that caches lists what its result is
made from, and nothing else decides whether a kept copy is still good. The engine's
configuration is read the way the engine reads it (its own YAML loader: `INHERIT:` merged,
`!ENV` resolved), so a setting inherited from another file or taken from the environment
changes the key as it changes the pages.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from ..core.faults import ToolFault
from ..core.inputs import digest_of, files_digest, site_inputs
from ..core.pages import Page
from ..core.render import Variant
from ..core.review import Review
from .engine import EngineOrder


def engine_config(engine: str, config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as the engine sees it, by the engine's public YAML loader."""
    loader = importlib.import_module(f"{engine}.utils")
    try:
        with config_file.open("rb") as handle:
            config: dict[str, Any] = loader.yaml_load(handle)
    except Exception as exc:  # the engine refuses the same file, with its own message
        raise ToolFault(f"{config_file.name} could not be read as the site engine reads it: "
                        f"{exc}") from exc
    return config


def theme_folder(config_file: Path, config: dict[str, Any]) -> Path | None:
    """The theme overrides (theme.custom_dir), relative to the configuration file as the
    engine takes them."""
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return config_file.parent / str(custom) if custom else None


def page_shared_key(order: EngineOrder) -> str:
    """Everything each page's HTML depends on besides its own Markdown: the code and site
    libraries, the engine and its configuration, the theme overrides, the navigation and the
    template data."""
    config_file = Path(order.config_file)
    config = engine_config(order.engine, config_file)
    theme = theme_folder(config_file, config)
    return digest_of([site_inputs(), order.engine, json.dumps(config, sort_keys=True, default=str),
                      files_digest(theme.rglob("*"), theme) if theme else "no theme overrides",
                      json.dumps([order.nav, order.site_name, order.site_url, order.extra],
                                 sort_keys=True)])


def page_key(shared: str, page: Page) -> str:
    return digest_of([shared, page.path, page.text])


def review_page_key(language: str, variants: list[Variant], review: Review) -> str:
    """A topic's review page: its variants, its review and its changes, in the site's language."""
    return digest_of([site_inputs(), language, review.cache_key(), *review.changes,
                      *((v.made_from or repr(v)) for v in variants)])
