"""Every output a build makes, in the order they run: adding one is a module and a line here."""
from __future__ import annotations

from ..handouts.handout_output import Handouts
from .edition_output import EditionPages
from .outputs import Output
from .css_output import TrimmedStyles
from .page_output import Pages, Sitemap
from .review_output import ReviewView
from .search_index import SearchIndex

OUTPUTS: tuple[type[Output], ...] = (
    Pages,
    EditionPages,
    Sitemap,
    TrimmedStyles,  # after the pages: reads them as placed
    ReviewView,
    Handouts,  # before the search index: the content's errors in handouts come before its faults
    SearchIndex,
)


def standard_outputs() -> list[Output]:
    """Fresh output objects: their caches live as long as the caller keeps the list."""
    return [kind() for kind in OUTPUTS]
