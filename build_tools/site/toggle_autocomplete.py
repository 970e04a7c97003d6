"""Material's drawer and search toggles, made valid HTML without copying its base.html.

Material writes `autocomplete="off"` on its two hidden checkboxes (#__drawer, #__search) so that
Firefox does not restore an open drawer on reload. HTML allows autocomplete on text-like inputs
only, and the Nu Html Checker rejects it on a checkbox; templates/theme/assets/edu.js closes both
toggles on page show instead. The two inputs sit in Material's base.html outside any template
block, so the attribute is taken out of the pages the engine writes (mkdocs_hooks.on_post_page
and on_post_template) rather than by keeping a whole copy of base.html. If Material changes the
markup, nothing here matches and the HTML check reports the attribute again;
tests/test_theme_overrides.py checks the pattern against the installed Material's base.html.
"""
from __future__ import annotations

import re

TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" '
    r'id="__(?:drawer|search)") autocomplete="off">')


def drop_toggle_autocomplete(html: str) -> str:
    return TOGGLE_AUTOCOMPLETE.sub(r"\1>", html)
