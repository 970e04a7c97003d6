"""The editor report: problems, and per topic its state, reading grades and fact coverage."""
from __future__ import annotations

import json
from typing import Any

from .check.check import ReadingRule, plain_text, reading_rule
from .base.readability import Scorer
from .facts.fact_base import is_shared, shared_fact_users
from .pipeline import Result
from .base.problems import Problem, Severity, errors
from .base.model import Library
from .base.variant import Variant
from .base.sections import split_sections


def problem_lines(problems: list[Problem]) -> list[str]:
    ordered = sorted(problems, key=lambda p: (p.severity is not Severity.ERROR, p.path, p.line or 0))
    return [str(p) for p in ordered]


def left_out_lines(result: Result) -> list[str]:
    """What `build` tells the editor about topics the publication policy keeps off the site."""
    if result.library is None:
        return []
    published = ", ".join(result.library.site.policy.published_states)
    return [f"{t.source}: left out: topic '{t.key}' is {t.status}; site_config/policy.yml "
            f"publishes only {published}" for t in result.left_out]


def topic_summaries(result: Result) -> list[dict[str, Any]]:
    if result.library is None:
        return []
    published = result.library.site.policy.published_states
    # the pages' language: for now the site's; a variant's own once it has one
    language = result.library.site.settings.language
    scorer = Scorer()
    out = []
    for topic in sorted(result.library.topics.values(), key=lambda t: t.key):
        variants = [v for v in result.variants if v.topic.key == topic.key]
        used = {v.audience.key: sorted(v.facts_used) for v in variants}
        all_used = set().union(*(set(u) for u in used.values()))
        shared = sorted(k for k in all_used if is_shared(k))
        facts = {**topic.facts, **{k: result.library.shared_facts[k] for k in shared}}
        review = result.reviews.get(topic.key)
        signed = review.signoff if review and review.reviewed else None
        rules = {v.audience.key: (v, rule) for v in variants
                 if (rule := reading_rule(v, language, scorer))}
        levels = {key: page_level(v, rule) for key, (v, rule) in rules.items()}
        out.append({
            "topic": topic.key,
            "status": topic.status,
            "review_state": review.state if review else topic.status,
            "published": review.published if review else topic.status in published,
            "reviewed_by": f"{signed.reviewer}, {signed.credentials}" if signed else None,
            "last_reviewed": str(signed.date) if signed else None,
            "changed_since_review": (str(review.signoff.date) if review and review.signoff
                                     and not review.reviewed else None),
            "reviewers": [m.name for m in review.reviewers] if review else [],
            "next_review": str(topic.next_review),
            # the score on each audience's formula (a grade for English), and its limit
            "reading_grade": {key: level["score"] for key, level in levels.items()},
            "grade_limit": {key: level["limit"] for key, level in levels.items()},
            "reading_level": levels,
            "section_grades": {key: section_grades(result.library, v, rule)
                               for key, (v, rule) in rules.items()},
            # each translated edition's pages of the topic, on their language's formula
            "translations": translation_levels(result, topic.key, scorer),
            "facts_used": used,
            "coverage": {key: sorted(a for a, shown in used.items() if key in shown)
                         for key in sorted(topic.facts) + shared},
            "facts_unused": sorted(set(topic.facts) - all_used),
            "unverified_facts": sorted(k for k, f in facts.items() if not f.verified),
        })
    return out


def page_level(variant: Variant, rule: ReadingRule) -> dict[str, Any]:
    """The page's score on its audience's formula, the scale's band and the limit."""
    formula = rule.formula
    score = round(rule.score(plain_text(variant.short_answer + "\n" + variant.body)), 1)
    return {"formula": formula.key, "formula_name": formula.name, "score": score,
            "band": formula.band(score), "limit": rule.limit,
            "limit_is": "max" if formula.lower_is_easier else "min"}


def translation_levels(result: Result, topic: str, scorer: Scorer) -> dict[str, Any]:
    """{language: {"review_state", "reading_level", "section_grades"}} of a topic's
    translated pages."""
    out: dict[str, Any] = {}
    for language, edition in sorted(result.editions.items()):
        variants = [v for v in edition.variants if v.topic.key == topic]
        rules = {v.audience.key: (v, rule) for v in variants
                 if (rule := reading_rule(v, language, scorer))}
        if not variants:
            continue
        review = edition.reviews.get(topic)
        out[language] = {
            "review_state": review.state if review else None,
            "reading_level": {key: page_level(v, rule) for key, (v, rule) in rules.items()},
            "section_grades": {key: section_grades(edition.library, v, rule)
                               for key, (v, rule) in rules.items()}}
    return out


def section_grades(library: Library, variant: Variant, rule: ReadingRule
                   ) -> list[dict[str, Any]]:
    """The score of each `## ` section on the page's formula, with its band and the line of
    its heading; `over`: beyond the limit by more than the formula's section margin."""
    prose = library.prose[(variant.audience.key, variant.topic.key)]
    formula = rule.formula
    out = []
    for section in split_sections(variant.body, prose):
        text = plain_text(section.text)
        score = round(rule.score(text), 1) if text else None
        out.append({"heading": section.heading, "line": section.line,
                    "grade": score, "score": score,
                    "band": formula.band(score) if score is not None else None,
                    "over": score is not None and not formula.passes(
                        score, rule.limit, formula.section_margin)})
    return out


def shared_fact_summary(result: Result) -> dict[str, dict[str, Any]]:
    """Each shared fact, whether it is verified, and the topics whose pages show it."""
    if result.library is None:
        return {}
    facts = result.library.shared_facts
    return {key: {"topics": topics, "verified": facts[key].verified}
            for key, topics in shared_fact_users(result.library, result.variants).items()}


def as_json(result: Result) -> str:
    return json.dumps({"ok": result.ok, "errors": len(errors(result.problems)),
                       "warnings": len(result.problems) - len(errors(result.problems)),
                       "problems": [p.as_dict() for p in result.problems],
                       "topics": topic_summaries(result),
                       "shared_facts": shared_fact_summary(result)}, indent=2)


def as_text(result: Result) -> str:
    lines = []
    for summary in topic_summaries(result):
        lines += _topic_text(summary)
    lines += _shared_text(shared_fact_summary(result))
    lines += problem_lines(result.problems)
    n_err = len(errors(result.problems))
    n_warn = len(result.problems) - n_err
    lines.append(f"check: {n_err} error(s), {n_warn} warning(s)"
                 + ("" if n_err else "; the content is ready to build"))
    return "\n".join(lines)


def _topic_text(s: dict[str, Any]) -> list[str]:
    state = "published" if s["published"] else "NOT published by the policy (left out of make site)"
    if s["reviewed_by"]:
        reviewed = f"reviewed by {s['reviewed_by']} on {s['last_reviewed']}"
    elif s["changed_since_review"]:
        reviewed = f"not reviewed: changed since its review on {s['changed_since_review']}"
    elif s["reviewers"]:
        reviewed = f"being checked by {', '.join(s['reviewers'])} (no sign-off yet)"
    elif s["review_state"] == "no-reviewer":
        reviewed = ("not yet reviewed (no sign-off; no board member assigned: readers are told "
                    "no clinician has reviewed it)")
    else:
        reviewed = "not yet reviewed (no sign-off)"
    lines = [f"topic {s['topic']}: {s['review_state']}, {state}",
             f"  {reviewed}; next review due {s['next_review']}"]
    lines += _level_lines(s["reading_level"], s["section_grades"], "")
    for language, edition in s["translations"].items():
        lines.append(f"  {language} translation: {edition['review_state']} (reviewed on its "
                     "own: English sign-offs do not count)")
        lines += _level_lines(edition["reading_level"], edition["section_grades"],
                              f" ({language})")
    lines += _coverage_matrix(s)
    lines.append(f"  facts no variant uses: {', '.join(s['facts_unused']) or 'none'}")
    lines.append(f"  unverified facts: {', '.join(s['unverified_facts']) or 'none'}")
    return lines


def _level_lines(levels: dict[str, Any], grades: dict[str, Any], language: str) -> list[str]:
    lines = []
    for audience, level in levels.items():
        limit = f"{'at most' if level['limit_is'] == 'max' else 'at least'} {level['limit']:g}"
        lines.append(f"  reading level {audience}{language}: {level['score']} "
                     f"{level['formula_name']}, {level['band']} (limit: {limit})")
        sections = grades[audience]
        width = max((len(x["band"] or "") for x in sections), default=0)
        for section in sections:
            over = "  OVER" if section["over"] else ""
            score = "-" if section["score"] is None else section["score"]
            lines.append(f"    line {section['line']:>3}  {score:>5}  "
                         f"{section['band'] or '':<{width}}  ## {section['heading']}{over}")
    return lines


def _shared_text(shared: dict[str, dict[str, Any]]) -> list[str]:
    """Who shows each shared fact: editing one changes every topic listed after it."""
    if not shared:
        return []
    width = max(len(key) for key in shared)
    lines = ["shared facts (content/facts/), and the topics that show them"]
    for key, s in shared.items():
        note = "" if s["verified"] else "  (unverified)"
        lines.append(f"  {key:<{width}}  {', '.join(s['topics']) or 'no topic'}{note}")
    return lines


def _coverage_matrix(s: dict[str, Any]) -> list[str]:
    """One row per fact, one column per audience: where each figure is shown, at a glance."""
    audiences = list(s["facts_used"])
    width = max((len(key) for key in s["coverage"]), default=4)
    lines = ["  fact coverage (x: the variant uses the fact)",
             f"    {'fact':<{width}}  {'  '.join(audiences)}"]
    for key, shown_in in s["coverage"].items():
        marks = "  ".join(("x" if a in shown_in else "-").center(len(a)) for a in audiences)
        note = "  unused" if not shown_in else ""
        note += "  unverified" if key in s["unverified_facts"] else ""
        lines.append(f"    {key:<{width}}  {marks}{note}".rstrip())
    return lines
