"""A synthetic library for the benchmark: N topics x every audience, written to a scratch folder.

Every topic, fact and reference says in its own text that it is synthetic, so no page of it can
be mistaken for medical information. The prose is assembled from plain sentence patterns so that
it passes the real checks: patient prose stays under reading grade 8, no audience types a digit,
every figure comes from the fact base and every reference is cited by every variant.

As in a real library, figures are shared: each synthetic source has facts of its own in
content/facts/<source>.yml, and every topic citing that source shows them (a source is cited
by about one topic in ten); categories hold TOPICS_PER_CATEGORY topics each.
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .synthetic_words import (CATEGORIES, GLOSSARY, NAME_PARTS, PHRASES, SECTIONS, SENTENCES,
                              SIGNS, TREATMENTS, WORDS)

REFERENCE_POOL = 60
REFERENCES_PER_TOPIC = 6
WORDS_PER_VARIANT = 1200
TOPICS_PER_CATEGORY = 20
KINDS = ("guideline", "trial", "review", "meta-analysis", "cohort study")
COPIED = ("templates", "site_config", "build_tools", "mkdocs.yml")


@dataclass(frozen=True)
class SyntheticTopic:
    """The names one synthetic topic is written around."""

    number: int
    key: str
    condition: str
    treatment: str
    area: str
    category: str
    references: tuple[str, ...]


def topic_for(number: int, topics: int) -> SyntheticTopic:
    rng = random.Random(number)
    condition = (rng.choice(NAME_PARTS[0]) + rng.choice(NAME_PARTS[1])).capitalize()
    categories = CATEGORIES[:max(1, min(len(CATEGORIES), -(-topics // TOPICS_PER_CATEGORY)))]
    refs = rng.sample(range(1, REFERENCE_POOL + 1), REFERENCES_PER_TOPIC)
    return SyntheticTopic(number, f"syn_{number:04d}", condition, rng.choice(TREATMENTS),
                          rng.choice(WORDS["area"]), categories[number % len(categories)],
                          tuple(f"syn_ref_{r:03d}" for r in refs))


def write_library(root: Path, topics: int, project: Path, spanish_every: int = 0) -> Path:
    """A complete project in root: the real templates, settings and code, synthetic content.
    spanish_every: every n-th topic also has a "Spanish" patient page (the English synthetic
    words in the Spanish files' places: the edition's loading, proof, second engine run,
    handouts and search are what it measures); 0 for none."""
    root.mkdir(parents=True, exist_ok=True)
    for part in COPIED:
        source = project / part
        if source.is_dir():
            shutil.copytree(source, root / part, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pdf"))
        else:
            shutil.copy2(source, root / part)
    # the audiences' rules; their translations' words (patient.es.yml) only with Spanish pages
    for audience in sorted(p for p in (project / "audiences").glob("*.yml")
                           if "." not in p.stem or spanish_every):
        (root / "audiences").mkdir(exist_ok=True)
        shutil.copy2(audience, root / "audiences" / audience.name)
    _write_site_name(root)
    _dump(root / "content" / "references.yml", [_reference(n) for n in range(1, REFERENCE_POOL + 1)])
    for number in range(1, REFERENCE_POOL + 1):
        _dump(root / "content" / "facts" / f"syn_ref_{number:03d}.yml", shared_facts(number))
    _dump(root / "content" / "warning_signs" / "syn_signs.yml", dict(SIGNS))
    _dump(root / "content" / "glossary.yml",
          {key: {"term": term, "definition": text} for key, term, text in GLOSSARY})
    audiences = sorted(p.stem for p in (root / "audiences").glob("*.yml") if "." not in p.stem)
    for number in range(1, topics + 1):
        write_topic(root, topic_for(number, topics), audiences)
        if spanish_every and number % spanish_every == 0:
            write_spanish(root, topic_for(number, topics))
    if spanish_every:
        _write_spanish_words(root)
    return root


def _words_of(facts: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """A fact file's translation: its words (unit, plain), the same numbers."""
    return {key: {field: fact[field] for field in ("unit", "plain") if field in fact}
            for key, fact in facts.items()}


def _write_spanish_words(root: Path) -> None:
    """The words every Spanish page needs: shared facts, glossary, warning signs."""
    for number in range(1, REFERENCE_POOL + 1):
        _dump(root / "content" / "facts" / f"syn_ref_{number:03d}.es.yml",
              _words_of(shared_facts(number)))
    _dump(root / "content" / "warning_signs" / "syn_signs.es.yml",
          {key: {"notice": sign["notice"]} for key, sign in SIGNS.items()})
    _dump(root / "content" / "glossary.es.yml",
          {key: {"term": term, "definition": text} for key, term, text in GLOSSARY})


def write_spanish(root: Path, topic: SyntheticTopic) -> None:
    """The topic's "Spanish" patient page and words (docs/authoring.md, 6b)."""
    folder = root / "content" / "topics" / topic.key
    english = topic_yaml(topic, ["patient"])
    changes = english["changes"]
    assert isinstance(changes, list)
    _dump(folder / "topic.es.yml", {
        "question": english["question"], "category": english["category"],
        "audiences": english["audiences"],
        "changes": [{"date": c["date"], "summary": c["summary"]} for c in changes]})
    _dump(folder / "facts.es.yml", _words_of(facts(topic)))
    # the required section under its Spanish heading (audiences/patient.es.yml), English id
    rules = yaml.safe_load((root / "audiences" / "patient.es.yml").read_text(encoding="utf-8"))
    english_rules = yaml.safe_load((root / "audiences" / "patient.yml").read_text(encoding="utf-8"))
    text = prose(topic, "patient")
    for english_heading, heading in zip(english_rules.get("required_sections", []),
                                        rules.get("required_sections", [])):
        slug = re.sub(r"[^a-z0-9]+", "-", english_heading.casefold()).strip("-")
        text = text.replace(f"## {english_heading}\n", f"## {heading} {{: #{slug} }}\n")
    (root / "audiences" / "patient" / f"{topic.key}.es.md").write_text(text, encoding="utf-8")


def _write_site_name(root: Path) -> None:
    path = root / "site_config" / "site.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["site_name"] = "Synthetic benchmark library"
    settings["organisation"] = "Synthetic benchmark library (not medical information)"
    _dump(path, settings)


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")


def _reference(number: int) -> dict[str, object]:
    return {"id": f"syn_ref_{number:03d}", "kind": KINDS[number % len(KINDS)], "type": "report",
            "title": f"Synthetic benchmark source {number} (not a real publication)",
            "publisher": "Synthetic benchmark corpus", "issued": 2015 + number % 10,
            "note": "Synthetic: generated for the build benchmark; it does not exist."}


SHARED_KEYS = ("people_studied", "pain_drop_pooled")


def shared_facts(number: int) -> dict[str, dict[str, object]]:
    """Two figures of one synthetic source, shown by every topic that cites it."""
    ref = f"syn_ref_{number:03d}"
    return {
        "people_studied": {"label": "Synthetic: people in this source's studies",
                           "value": 200 + 7 * number, "unit": "people",
                           "plain": "a few hundred people", "refs": [ref], "verified": False},
        "pain_drop_pooled": {"label": "Synthetic: pooled fall in pain score in this source",
                             "value": round(1 + (number % 20) / 10, 1),
                             "unit": "points on a 0-10 scale", "plain": "a small drop in pain",
                             "refs": [ref], "verified": False},
    }


def fact_names(topic: SyntheticTopic) -> list[str]:
    """What prose inserts, in turn: the topic's own facts, then its first sources' shared facts."""
    shared = [f'("{ref}.{key}")' for ref in topic.references[:2] for key in SHARED_KEYS]
    return [f".{key}" for key in facts(topic)] + shared


def write_topic(root: Path, topic: SyntheticTopic, audiences: list[str]) -> None:
    folder = root / "content" / "topics" / topic.key
    _dump(folder / "facts.yml", facts(topic))
    _dump(folder / "topic.yml", topic_yaml(topic, audiences))
    for audience in audiences:
        path = root / "audiences" / audience / f"{topic.key}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(prose(topic, audience), encoding="utf-8")


def facts(topic: SyntheticTopic) -> dict[str, dict[str, object]]:
    """Eight synthetic figures; the first is the one the benchmark edits."""
    n = topic.number
    refs = list(topic.references)

    def fact(label: str, value: object, unit: str, plain: str, i: int) -> dict[str, object]:
        return {"label": f"Synthetic: {label}", "value": value, "unit": unit, "plain": plain,
                "refs": [refs[i % len(refs)], refs[(i + 1) % len(refs)]], "verified": False}

    return {
        "success_rate": fact("share of people who improved", 40 + n % 50 + 0.5, "percent",
                             "about half of the people", 0),
        "recovery_weeks": fact("weeks until most people recover", {"min": 2, "max": 4 + n % 5},
                               "weeks", "a few weeks", 1),
        "pain_drop": fact("fall in pain score", round(1 + (n % 30) / 10, 1),
                          "points on a 0-10 scale", "a small but real drop in pain", 2),
        "hospital_days": fact("days in hospital", 1 + n % 3, "days", "one or two days", 3),
        "complication_rate": fact("share with a complication", round(1 + (n % 40) / 10, 1),
                                  "percent", "a few in every hundred people", 4),
        "trial_size": fact("people in the largest trial", 100 + n, "patients",
                           "a few hundred people", 5),
        "follow_up_months": fact("follow-up time", 6 + n % 19, "months", "about a year", 0),
        "repeat_rate": fact("share who needed a repeat treatment", round(5 + (n % 20) / 2, 1),
                            "percent", "some people", 1),
    }


def topic_yaml(topic: SyntheticTopic, audiences: list[str]) -> dict[str, object]:
    words = {"condition": topic.condition.lower(), "treatment": topic.treatment}
    return {
        "question": f"Synthetic topic {letters(topic.number)}: can {topic.treatment} help "
                    f"{topic.condition.lower()}?",
        "category": topic.category,
        "status": "under_review",
        "next_review": "2099-01-15",
        "changes": [{"date": "2025-01-15", "summary": "Synthetic topic written for the benchmark."}],
        "warning_signs": ["syn_signs"],
        "references": list(topic.references),
        "audiences": {a: {"title": f"Synthetic topic {letters(topic.number)} for {a}: {topic.treatment} "
                                   f"for {topic.condition.lower()}",
                          "short_answer": short_answer(topic, words)} for a in audiences},
    }


def letters(number: int) -> str:
    """The topic's number as letters (1: A, 27: AA): a title shows no number that is not a
    fact's value (site.final_check)."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def short_answer(topic: SyntheticTopic, words: dict[str, str]) -> str:
    return (f"This is synthetic text for a build test, not advice. {topic.treatment.capitalize()} "
            f"may help some people with {words['condition']} {_cite(topic, 0)}. About "
            f"{{{{ fact.success_rate }}}} got better {_cite(topic, 1)}.")


def _cite(topic: SyntheticTopic, i: int) -> str:
    return f'{{{{ cite("{topic.references[i % len(topic.references)]}") }}}}'


def prose(topic: SyntheticTopic, audience: str) -> str:
    """About WORDS_PER_VARIANT words of prose for one audience, citing every reference."""
    rng = random.Random(f"{topic.key}/{audience}")
    style = "patient" if audience == "patient" else "clinician"
    fill = {"condition": topic.condition.lower(), "treatment": topic.treatment, "area": topic.area}
    facts_cycle = fact_names(topic)
    out: list[str] = [f"*Synthetic benchmark text: {topic.condition} is not a real condition.*\n"]
    words, cites, section = 0, 0, 0
    while words < WORDS_PER_VARIANT or section < len(SECTIONS[style]):
        heading = SECTIONS[style][section % len(SECTIONS[style])].format(**fill)
        out.append(f"## {heading}\n")
        for _ in range(3):
            sentences = [_sentence(rng, style, fill) for _ in range(4)]
            fact_key = facts_cycle[cites % len(facts_cycle)]
            sentences.append(PHRASES[style].format(fact=f"{{{{ fact{fact_key} }}}}", **fill))
            sentences[-1] += f" {_cite(topic, cites)}"
            cites += 1
            out.append(" ".join(sentences) + "\n")
            words += sum(len(s.split()) for s in sentences)
        if audience == "nurse" or audience == "patient":
            key, term, _ = GLOSSARY[(topic.number + section) % len(GLOSSARY)]
            out.append(f'- Word to know: {{{{ term("{key}", "{term.lower()}") }}}}.\n')
        section += 1
    return "\n".join(out)


def _sentence(rng: random.Random, style: str, fill: dict[str, str]) -> str:
    pattern = rng.choice(SENTENCES[style])
    extra = {slot: rng.choice(choices) for slot, choices in WORDS.items() if slot != "area"}
    return pattern.format(**fill, **extra)


def edit_fact(root: Path, topic: SyntheticTopic, value: float) -> str:
    """Change the first fact's figure, as an editor would; returns how clinicians now read it."""
    path = root / "content" / "topics" / topic.key / "facts.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["success_rate"]["value"] = value
    _dump(path, data)
    return f"{value:g} percent"
