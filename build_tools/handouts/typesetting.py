"""Print typesetting the stylesheet cannot ask for: no paragraph, list item, heading or caption
ends in a line of one word.

CSS widows and orphans count lines across a page break, not words on a block's last line, so
the space before each block's last word becomes a no-break space. The handout's HTML is
parsed and its text nodes edited (never the markup as a string); the last two words are set
in a span the stylesheet keeps from being hyphenated or broken.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

NO_BREAK = "\u00a0"
# Blocks whose last line is read as a line of its own; a list item's nested list is skipped.
BLOCK_TAGS = ("p", "li", "dd", "h1", "h2", "h3", "figcaption")
BLOCKS = ("//body//*[self::p or self::li or self::dd or self::h1 or self::h2 or self::h3"
          " or self::figcaption]")
NESTED = ("ul", "ol", "p", "div", "table")
# The last two words of a text node, the first after a space or at its start.
PAIR = re.compile(r"(?:(?<=\s)|^)(\S+)[ \t\n\r]+(\S+)\s*$")
# Marks after a word (citations, "not yet checked"), set unbroken by the stylesheet: a block
# whose text ends in one is left as it is.
MARKS = ("sup",)
LAST_WORDS = "handout-last-words"  # templates/handout.css: never hyphenated
LONGEST_WORD = 24  # a longer last word (an address, an identifier) is left free to wrap


def bind_last_words(tree: Any) -> None:
    """Set each block's last word together with the word before it, where that is safe."""
    for block in tree.xpath(BLOCKS):
        _bind(block)


def _slots(block: Any) -> list[tuple[Any, str]]:
    """The block's own text, piece by piece in reading order: (element, "text" or "tail"),
    with a mark standing as (element, "mark")."""
    found: list[tuple[Any, str]] = [(block, "text")]
    for child in block:
        if not isinstance(child.tag, str):  # comments and processing instructions
            found.append((child, "tail"))
            continue
        if child.tag in NESTED:
            break  # the item's own text ends where its nested list begins
        if child.tag in MARKS:
            found.append((child, "mark"))
        else:
            found.extend(_slots(child))
        found.append((child, "tail"))
    return found


def _bind(block: Any) -> None:
    """Only a pair of words within one text node is bound: a no-break space next to an inline
    element's edge trips WeasyPrint 70's line breaking, which then sets lines of one word
    above it (see keep_citations_on_line in handout.py)."""
    if _keep_with_element(block):
        return
    for element, part in reversed(_slots(block)):
        if part == "mark":
            return
        text = getattr(element, part) or ""
        if not text.strip():
            continue
        found = PAIR.search(text)
        if found and len(found.group(2)) <= LONGEST_WORD:
            _keep_whole(element, part, text, found)
        return


def _keep_with_element(block: Any) -> bool:
    """A block that ends in an inline element of one word (a link, a cited word) and maybe a
    full stop: the word before it and the element are set together in one unbroken span,
    which starts after a space."""
    children = [c for c in block if isinstance(c.tag, str) and c.tag not in NESTED]
    if not children or block.text is None and len(children) < 2:
        return False
    last = children[-1]
    if (last.tail or "").strip().strip(".,;:!?)") or last.getnext() is not None and (
            last.getnext().tag not in NESTED):
        return False
    if len(last.text_content()) > LONGEST_WORD:
        return False
    before = last.getprevious()
    holder, part = (before, "tail") if before is not None else (block, "text")
    text = getattr(holder, part) or ""
    one_word = not any(ch.isspace() for ch in last.text_content())
    if not (one_word or "edu-cited" in (last.get("class") or "")):
        if text[-1:].isspace():  # words of their own (a figure, "3 months"): kept together
            span = lxml_html.Element("span", {"class": LAST_WORDS})
            last.addprevious(span)
            span.append(last)
            return True
        return False
    found = re.search(r"(?:(?<=\s)|^)(\S+)\s+$", text)
    if (not found and before is not None and text.isspace()
            and len(before.text_content()) <= LONGEST_WORD):
        # a figure and then its citation ("8 countries [1]."): set together, so the citation
        # never starts a line of its own
        span = lxml_html.Element("span", {"class": LAST_WORDS})
        before.addprevious(span)
        span.append(before)
        span.append(last)
        return True
    if not found or found.start() == 0 and part == "tail" or len(found.group(1)) > LONGEST_WORD:
        return False
    setattr(holder, part, text[:found.start()])
    span = lxml_html.Element("span", {"class": LAST_WORDS})
    span.text = found.group(1) + NO_BREAK
    last.addprevious(span)
    span.append(last)  # with its tail, the full stop
    return True


def _keep_whole(element: Any, part: str, text: str, pair: re.Match[str]) -> None:
    """Set the pair, bound by a no-break space, in a span that is never hyphenated: a pair
    split by a hyphen would end the block in half a word ("de-" / "cisions."). The span starts
    after a space or at the block's start, where a line may break anyway."""
    if pair.start() == 0 and not (part == "text" and element.tag in BLOCK_TAGS):
        return  # the word before goes on from the element before
    span = lxml_html.Element("span", {"class": LAST_WORDS})
    span.text = f"{pair.group(1)}{NO_BREAK}{pair.group(2)}"
    span.tail = text[pair.end():]
    setattr(element, part, text[:pair.start()])
    if part == "text":
        element.insert(0, span)
    else:
        element.addnext(span)
