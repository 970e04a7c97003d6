"""The cache keys of the site's outputs, each built here from the inputs it declares.

The code and library digests come from the build's memory (core.base.inputs.Inputs), passed in.

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

from ..core.base.faults import ToolFault
from ..core.base.inputs import digest_of, files_digest
from ..core.base.model import Library
from ..core.pages.pages import Page
from ..core.base.variant import Variant
from ..core.review.review import Review
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


def page_shared_key(order: EngineOrder, site_inputs: str) -> str:
    """Everything each page's HTML depends on besides its own Markdown: the code and site
    libraries, the engine and its configuration, the theme overrides, the navigation and the
    template data."""
    config_file = Path(order.config_file)
    config = engine_config(order.engine, config_file)
    theme = theme_folder(config_file, config)
    return digest_of([site_inputs, order.engine, json.dumps(config, sort_keys=True, default=str),
                      files_digest(theme.rglob("*"), theme) if theme else "no theme overrides",
                      json.dumps([order.nav, order.site_name, order.site_url, order.extra,
                                  order.language, order.permalink_title],
                                 sort_keys=True)])


def page_key(shared: str, page: Page) -> str:
    return digest_of([shared, page.path, page.text])


def review_page_key(site_inputs: str, language: str, words: str, variants: list[Variant],
                    review: Review) -> str:
    """A topic's review page: its variants, its review and its changes, in the site's language
    and its words (the strings file, as loaded)."""
    return digest_of([site_inputs, language, words, review.cache_key(), *review.changes,
                      *((v.made_from or repr(v)) for v in variants)])


def handout_key(html: str, css: str, handout_inputs: str) -> str:
    """A PDF: its filled HTML and stylesheet, and what lays them out (WeasyPrint, Pango, the
    installed fonts)."""
    return digest_of([handout_inputs, css, html])


def handout_shared_key(root: Path, library: Library, created: str, handout_inputs: str) -> str:
    """What every handout's HTML shares: the code, the library-wide data (not the topics and
    prose, which each variant carries), the templates and the creation date."""
    templates = root / "templates"
    return digest_of([handout_inputs, created,
                      library.model_dump_json(exclude={"topics", "prose"}),
                      files_digest(templates.glob("*.*"), templates)])


def handout_input_key(shared: str, variant: Variant, banner: str, review: Review) -> str:
    """What a handout's HTML is made from, known without making it (filling the template and
    drawing the QR code of every handout only to look its PDF up took 20 s at 1,500)."""
    return digest_of([shared, variant.made_from or repr(variant), banner, review.cache_key()])
