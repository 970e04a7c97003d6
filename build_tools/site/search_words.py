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

import json
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

WORD = re.compile(r"[^\W\d_][\w'-]*[^\W\d_]", re.UNICODE)
SHORTEST = 3  # the browser looks up words of 3 letters or more
FOLDER = "words"


def indexed_words(pages: Iterable[Path], excluded: Iterable[str]) -> list[str]:
    """The distinct lower-case words of the indexed text of these pages, sorted."""
    selectors = [CSSSelector(s) for s in excluded] + [CSSSelector("[data-pagefind-ignore]")]
    words: set[str] = set()
    for page in pages:
        tree = lxml_html.fromstring(page.read_bytes())
        for body in tree.xpath("//*[@data-pagefind-body]"):
            for selector in selectors:
                for element in selector(body):
                    element.drop_tree()  # its tail, the text after it, stays
            text = body.text_content().lower()
            words.update(w.strip("'-") for w in WORD.findall(text) if len(w) >= SHORTEST)
    return sorted(words)


def shard(word: str) -> str:
    """The file a word is listed in: its first letter (a-z), or u<hex code> for any other."""
    first = word[0]
    return first if "a" <= first <= "z" else f"u{ord(first):x}"


def write_word_list(site_dir: Path, bundle: str, excluded: Iterable[str]) -> Path:
    folder = site_dir / bundle / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shards: dict[str, list[str]] = {}
    for word in indexed_words(sorted(site_dir.rglob("*.html")), excluded):
        shards.setdefault(shard(word), []).append(word)
    for name, words in shards.items():
        (folder / f"{name}.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    return folder
