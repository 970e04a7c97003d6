"""The final check of one handout's bytes (site.final_check): its text, as poppler's pdftotext
extracts it, must carry the audience's disclaimer, the topic's references, the page's fact
values and as many "not yet checked" marks as the page has unverified figures.

Text is compared after normalising what typesetting changes: ligatures, soft hyphens, line
breaks and the running header and footer (site name, "page N of M" in the site's words, the
disclaimer's opening sentence), which pdftotext puts between the lines on either side of a
page break. A fact's value may be broken at any line end where a browser could break it: at
a space, after a dash, or inside a word with a hyphen added. References and notes are compared
without spaces, hyphens and case, as a DOI may break anywhere and the kind of a reference is
set in capitals.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.base.faults import ToolFault
from ..core.base.problems import Problem
from .final_page import FactShown
from .html_check import squash

PDFTOTEXT_TIMEOUT = 60.0  # seconds; a handout takes a few hundredths
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                           "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": None})
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015/"  # a line may end after one: "3.41–" / "7.30"


def pdf_text(path: Path, raw: bool = False) -> tuple[str | None, str]:
    """The PDF's text in reading order (raw: in the order it is drawn), or None and why not."""
    try:
        run = subprocess.run(["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", "-eol",
                              "unix", str(path), "-"],
                             capture_output=True, timeout=PDFTOTEXT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise ToolFault("pdftotext (Debian package poppler-utils) is not installed; the final "
                        "check reads every handout with it: run `make setup`") from None
    except subprocess.TimeoutExpired:
        return None, f"pdftotext took longer than {PDFTOTEXT_TIMEOUT:.0f} s"
    if run.returncode != 0:
        return None, squash(run.stderr.decode("utf-8", "replace"))[:200] or f"exit {run.returncode}"
    return run.stdout.decode("utf-8", "replace"), ""


@dataclass(frozen=True)
class Expected:
    """What the handout must show: from the library (disclaimer) and from its page."""

    page: str  # site/<rel> of the page that links to the handout
    disclaimer_key: str
    disclaimer: str
    site_name: str
    facts: list[FactShown]
    references: list[str]
    note: str  # the page's note on figures not yet checked, "" when it has none
    page_of: tuple[str, str, str]  # the words around the page numbers (HandoutWords.page_of)


def handout_problems(where: str, text: str, drawn: str, expected: Expected) -> list[Problem]:
    """text: in reading order; drawn: in the order it is drawn (pdftotext -raw)."""
    found = [*_missing(_flow(text, expected), expected), *_marks(drawn, expected)]
    return [Problem(where, None, code, message, hint) for code, message, hint in found]


def _flow(text: str, expected: Expected) -> str:
    """The text without the running header and footer blocks, ligatures undone."""
    running = {squash(expected.site_name), squash(_opening(expected.disclaimer))}
    page_number = _page_number(expected.page_of)
    blocks = [b for b in re.split(r"\n\s*\n", text.translate(LIGATURES))
              if squash(b) not in running and not page_number.fullmatch(squash(b))]
    return "\n".join(blocks)


def _page_number(parts: tuple[str, str, str]) -> re.Pattern[str]:
    """"page 2 of 3" as the handout's header prints it, its spaces as squash leaves them."""
    before, between, after = (re.escape(" ".join(part.split())) for part in parts)
    return re.compile(rf"{before} ?\d+ ?{between} ?\d+ ?{after}", re.I)


def _opening(text: str) -> str:
    found = re.match(r"^(.+?[.!?])(?=\s|$)", squash(text), re.S)
    return found.group(1) if found else text


def _shows(flow: str, text: str) -> bool:
    """text as a whole in flow, wherever lines were broken: at a space, after a dash, or
    inside a word with a hyphen added."""
    parts = []
    for char in text:
        if char.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char) + (r"(?:-?\n\s*)?" if char.isalnum() else
                                            r"(?:\n\s*)?" if char in DASHES else ""))
    return re.search(r"(?<!\w)" + "".join(parts) + r"(?!\w)", flow) is not None


def _shows_squeezed(flow: str, text: str) -> bool:
    """For references and notes: long addresses and DOIs break anywhere, with or without a
    hyphen, and the handout's style may set a word in capitals (the kind of a reference)."""
    return _squeezed(text) in _squeezed(flow)


def _squeezed(text: str) -> str:
    return "".join(text.split()).replace("-", "").casefold()


Found = Iterator[tuple[str, str, str]]
AGAIN = ("the PDF differs from what the build made: build again after removing build/handouts/ "
         "(a changed templates/handout.html.j2 is checked like this too)")


def _missing(flow: str, expected: Expected) -> Found:
    if not _shows_squeezed(flow, squash(expected.disclaimer)):
        yield ("handout-disclaimer",
               f"the handout lacks the '{expected.disclaimer_key}' disclaimer",
               "keep the disclaimer in templates/handout.html.j2; " + AGAIN)
    for number, reference in enumerate(expected.references, 1):
        if not _shows_squeezed(flow, reference):
            yield ("handout-references", f"the handout lacks reference {number} of "
                   f"{expected.page}: {reference[:60]!r}",
                   "keep the reference list in templates/handout.html.j2; " + AGAIN)
    for fact in expected.facts:
        yield from _fact(flow, fact, expected.page)
    if expected.note and not _shows_squeezed(flow, expected.note):
        yield ("handout-unverified", "the handout lacks the note on figures not yet checked",
               "keep #edu-unverified-note in templates/handout.html.j2; " + AGAIN)


def _fact(flow: str, fact: FactShown, page: str) -> Found:
    if not _shows(flow, fact.text):
        yield ("handout-fact-differs",
               f'the handout does not show "{fact.text}", which {page} shows',
               "a handout and its page show the same figures; " + AGAIN)


def _marks(drawn: str, expected: Expected) -> Found:
    """As many "not yet checked" marks as the page has unverified figures. Counted in the text
    as drawn, not read beside each figure: in reading order pdftotext may place a raised mark,
    or a word of it, at the top of a column or page, apart from its line."""
    marked = [fact for fact in expected.facts if not fact.verified and fact.mark]
    if not marked:
        return
    mark = re.compile(r"\s+".join(map(re.escape, marked[0].mark.split())))
    shown = len(mark.findall(drawn)) - len(mark.findall(expected.note))
    if shown < len(marked):
        yield ("handout-unverified",
               f'the handout shows {max(shown, 0)} "{marked[0].mark}" mark(s) for the '
               f"{len(marked)} figure(s) not yet checked on {expected.page}",
               "keep the .edu-unverified marks in templates/handout.html.j2; " + AGAIN)
