"""Material's stylesheets cut down to the rules the published site can use (PurgeCSS's rule).

A style rule stays when every class, id, element and attribute name its selector needs occurs
as a word in the site's HTML or in the JavaScript its pages load (Material's bundle and
assets/edu*.js add classes and data-md-* attributes as they run, by name). A selector list
keeps the selectors that can match; what is inside :not(), :is(), :has() and the like is never
required (a missing class can make :not() true), nor are pseudo-classes. @font-face,
@keyframes, @page and :root's custom properties stay; an @media or @supports block stays with
the rules inside it that stay. Words are found as PurgeCSS's default extractor finds them, so a
word of prose keeps a rule too: the cut errs on the side of keeping.

Parsed and written by tinycss2 (WeasyPrint's own CSS parser); nothing here parses CSS by hand.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tinycss2
from tinycss2.ast import AtRule, LiteralToken, Node, ParseError, QualifiedRule

WORD = re.compile(r"[A-Za-z0-9_-]+")
NESTED_RULES = ("media", "supports", "layer", "container", "document")


@dataclass(frozen=True)
class Trimmed:
    css: str
    rules_in: int
    rules_kept: int
    errors: tuple[str, ...]  # "line:column: message" of what tinycss2 could not parse


def words_in(texts: Iterable[str]) -> frozenset[str]:
    """Every word that may name a class, id, element or attribute value."""
    return frozenset(word for text in texts for word in WORD.findall(text))


def trim_stylesheet(css: str, words: frozenset[str]) -> Trimmed:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    counts = [0, 0]
    errors = tuple(f"{n.source_line}:{n.source_column}: {n.message}" for n in _walk_errors(rules))
    kept = _trim_rules(rules, words, counts)
    return Trimmed(tinycss2.serialize(kept), counts[0], counts[1], errors)


def _walk_errors(rules: Sequence[Node]) -> Iterable[ParseError]:
    for rule in rules:
        if isinstance(rule, ParseError):
            yield rule
        elif isinstance(rule, AtRule) and rule.lower_at_keyword in NESTED_RULES and rule.content:
            yield from _walk_errors(tinycss2.parse_rule_list(rule.content, True, True))


def _trim_rules(rules: Sequence[Node], words: frozenset[str], counts: list[int]) -> list[Node]:
    kept: list[Node] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            counts[0] += 1
            selectors = [s for s in _selectors(rule.prelude) if _can_match(s, words)]
            if selectors:
                counts[1] += 1
                kept.append(QualifiedRule(rule.source_line, rule.source_column, _joined(selectors),
                                          rule.content))
        elif isinstance(rule, AtRule) and rule.lower_at_keyword in NESTED_RULES \
                and rule.content is not None:
            inner = _trim_rules(tinycss2.parse_rule_list(rule.content, True, True), words, counts)
            if inner:
                kept.append(AtRule(rule.source_line, rule.source_column, rule.at_keyword,
                                  rule.lower_at_keyword, rule.prelude, inner))
        elif isinstance(rule, AtRule):  # @font-face, @keyframes, @page, @charset, @import
            kept.append(rule)
    return kept


def _selectors(prelude: list[Node]) -> list[list[Node]]:
    """The selector list, split at its top-level commas, each without outer whitespace."""
    selectors: list[list[Node]] = [[]]
    for token in prelude:
        if isinstance(token, LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [_stripped(s) for s in selectors if _stripped(s)]


def _stripped(tokens: list[Node]) -> list[Node]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and tokens[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tokens[start:end]


def _joined(selectors: list[list[Node]]) -> list[Node]:
    joined: list[Node] = []
    for index, selector in enumerate(selectors):
        if index:
            joined.append(LiteralToken(selector[0].source_line, selector[0].source_column, ","))
        joined.extend(selector)
    return joined


def _can_match(selector: list[Node], words: frozenset[str]) -> bool:
    return all(name in words or name.lower() in words for name in required_names(selector))


def required_names(selector: list[Node]) -> list[str]:
    """The names one selector needs in the page: classes, ids, elements, attribute names and
    the words of an attribute's exact value (`[data-md-color-primary=indigo]`)."""
    names: list[str] = []
    previous: Node | None = None
    for token in selector:
        if token.type == "hash":
            names.append(token.value)
        elif token.type == "ident":
            if previous is None or not (previous.type == "literal" and previous.value == ":"):
                dotted = previous is not None and previous.type == "literal" \
                    and previous.value == "."
                names.append(token.value if dotted else token.value.lower())
        elif token.type == "[] block":
            names += _attribute_names(token.content)
        previous = token
    return names


def _attribute_names(content: list[Node]) -> list[str]:
    tokens = [t for t in content if t.type not in ("whitespace", "comment")]
    names = [tokens[0].value] if tokens and tokens[0].type == "ident" else []
    if len(tokens) >= 3 and tokens[1].type == "literal" and tokens[1].value in ("=", "~="):
        names += WORD.findall(str(getattr(tokens[2], "value", "")))
    return names
