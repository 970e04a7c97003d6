"""Review, the record: what a reviewer read, its fingerprint, and what changed since.

A sign-off keeps a snapshot of everything a reader sees from a topic: its question, every
audience's title, short answer and prose, its facts, the CSL data of its references and the
glossary entries it uses, and its warning signs. The fingerprint is the SHA-256 of the snapshot's canonical JSON, so a
later build can tell whether the topic still reads exactly as signed off, and the snapshot says
what changed when it does not.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..facts.fact_base import topic_facts
from ..base.model import Library, Topic
from ..base.variant import Variant
from ..read.warning_signs import used_signs

Snapshot = dict[str, Any]


def snapshot(library: Library, topic: Topic, variants: Iterable[Variant]) -> Snapshot:
    """Everything a reader sees from the topic, as plain JSON-able data; a shared fact the
    topic shows is part of it, so editing it counts against every topic that shows it."""
    variants = list(variants)
    terms = sorted(set().union(*(v.terms for v in variants if v.topic.key == topic.key)))
    return {
        "question": topic.question,
        "audiences": {
            key: {"title": text.title, "short_answer": text.short_answer,
                  "prose": library.prose.get((key, topic.key), "").splitlines()}
            for key, text in sorted(topic.audiences.items())},
        "facts": {key: fact.model_dump(mode="json", exclude={"key"}, exclude_none=True)
                  for key, fact in sorted(topic_facts(library, topic, variants).items())},
        "references": [library.references[key].model_dump(mode="json", by_alias=True,
                                                          exclude_none=True)
                       for key in topic.references if key in library.references],
        "glossary": {key: library.glossary[key].model_dump(mode="json")
                     for key in terms if key in library.glossary},
        **_signs(library, topic),
    }


def _signs(library: Library, topic: Topic) -> Snapshot:
    """The warning signs readers are shown; absent for a topic with none, so that records
    made before signs were data keep their fingerprints."""
    signs = {sign.key: sign.model_dump(mode="json", exclude={"key", "line"}, exclude_none=True)
             for sign in used_signs(library, topic)}
    return {"warning_signs": signs} if signs else {}


def fingerprint(data: Snapshot) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changes(old: Snapshot, new: Snapshot, topic: str) -> list[str]:
    """What a reader would now read differently, one line per change, in editor's terms."""
    return [*_question(old, new), *_facts(old.get("facts", {}), new["facts"]),
            *_audiences(old.get("audiences", {}), new["audiences"], topic),
            *_references(old.get("references", []), new["references"]),
            *_keyed("glossary entry", old.get("glossary", {}), new["glossary"]),
            *_keyed("warning sign", old.get("warning_signs", {}), new.get("warning_signs", {}))]


def _question(old: Snapshot, new: Snapshot) -> Iterator[str]:
    if old.get("question") != new["question"]:
        yield f"question: {_shown(old.get('question'))} -> {_shown(new['question'])}"


def _facts(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    yield from _keyed("fact", old, new)


def _keyed(kind: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    """Entries added, removed, and each changed field with its old and new value."""
    for key in sorted(set(old) | set(new)):
        if key not in new:
            yield f"{kind} '{key}' removed (was {_shown(old[key].get('value', old[key]))})"
        elif key not in old:
            yield f"{kind} '{key}' added: {_shown(new[key].get('value', new[key]))}"
        else:
            for name in sorted(set(old[key]) | set(new[key])):
                before, after = old[key].get(name), new[key].get(name)
                if before != after:
                    yield f"{kind} '{key}': {name} {_shown(before)} -> {_shown(after)}"


def _audiences(old: dict[str, Any], new: dict[str, Any], topic: str) -> Iterator[str]:
    for audience in sorted(set(old) | set(new)):
        before, after = old.get(audience, {}), new.get(audience, {})
        for name in ("title", "short_answer"):
            if before.get(name) != after.get(name):
                yield (f"{audience} {name.replace('_', ' ')}: {_shown(before.get(name))} -> "
                       f"{_shown(after.get(name))}")
        lines = prose_diff(before.get("prose", []), after.get("prose", []))
        if lines:
            yield f"{audience} prose (audiences/{audience}/{topic}.md):"
            yield from (f"  {line}" for line in lines)


def prose_diff(old: list[str], new: list[str]) -> list[str]:
    """Changed lines: '- line 12: old text' (line in the signed-off file), '+ line 12: new'."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        out += [f"- line {i + 1}: {old[i]}" for i in range(a1, a2)]
        out += [f"+ line {i + 1}: {new[i]}" for i in range(b1, b2)]
    return out


def _references(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[str]:
    old_ids, new_ids = [r.get("id") for r in old], [r.get("id") for r in new]
    if [i for i in old_ids if i in new_ids] != [i for i in new_ids if i in old_ids]:
        yield f"reference order: {', '.join(map(str, old_ids))} -> {', '.join(map(str, new_ids))}"
    yield from _keyed("reference", {str(r.get("id")): r for r in old},
                      {str(r.get("id")): r for r in new})


def _shown(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"min", "max"}:
        return f"{value['min']:g} to {value['max']:g}"
    if isinstance(value, float):
        return f"{value:g}"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 200 else text[:197] + "..."
