"""The search's word list: every word a search can find, made at build time.

Pagefind answers a word it does not know with pages holding a shorter word it does ("oracle"
finds "or", "hip replacement" finds "replace"). So the browser first looks the query's words up
in this list: a word the site does not contain gives no results, and the nearest word the site
does contain is offered instead ("did you mean", templates/theme/assets/edu-search.js).
The list holds the words of exactly the text Pagefind indexes: each page's data-pagefind-body,
less what is kept out of the index (data-pagefind-ignore and the selectors search_index.py
excludes). It is split by first letter, so a query downloads only its words' letters.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from ..core.base.records import read_record, write_record

WORD = re.compile(r"[^\W\d_][\w'-]*[^\W\d_]", re.UNICODE)
SHORTEST = 3  # the browser looks up words of 3 letters or more
FOLDER = "words"


def indexed_words(pages: Iterable[Path], excluded: Iterable[str],
                  known: dict[str, list[str]] | None = None) -> list[str]:
    """The distinct lower-case words of the indexed text of these pages, sorted. known holds
    each page's words from earlier builds by file identity (page_identity), and is updated."""
    selectors = [CSSSelector(s) for s in excluded] + [CSSSelector("[data-pagefind-ignore]")]
    known = {} if known is None else known
    words: set[str] = set()
    used = set()
    for page in pages:
        identity = page_identity(page)
        used.add(identity)
        if identity not in known:
            known[identity] = sorted(page_words(page, selectors))
        words.update(known[identity])
    for identity in [i for i in known if i not in used]:
        del known[identity]
    return sorted(words)


def page_identity(page: Path) -> str:
    """The page's bytes by their hash: the site's pages are fresh copies on every build (they
    share no file with the page cache), so only the content says a page is unchanged."""
    return hashlib.sha256(page.read_bytes()).hexdigest()


def page_words(page: Path, selectors: list[CSSSelector]) -> set[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    words: set[str] = set()
    for body in tree.xpath("//*[@data-pagefind-body]"):
        for selector in selectors:
            for element in selector(body):
                element.drop_tree()  # its tail, the text after it, stays
        text = body.text_content().lower()
        words.update(w.strip("'-") for w in WORD.findall(text) if len(w) >= SHORTEST)
    return words


def shard(word: str) -> str:
    """The file a word is listed in: its first letter (a-z), or u<hex code> for any other."""
    first = word[0]
    return first if "a" <= first <= "z" else f"u{ord(first):x}"


def write_word_list(site_dir: Path, bundle: str, excluded: Iterable[str],
                    cache: Path | None = None) -> Path:
    """The list under site_dir/bundle/words/; cache (outside the site) keeps each page's words
    for the next build, which then reads only the pages that changed."""
    folder = site_dir / bundle / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    known = read_record(cache, {}) if cache else {}
    shards: dict[str, list[str]] = {}
    for word in indexed_words(sorted(site_dir.rglob("*.html")), excluded, known):
        shards.setdefault(shard(word), []).append(word)
    if cache:
        write_record(cache, known)
    for name, words in shards.items():
        (folder / f"{name}.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    return folder
