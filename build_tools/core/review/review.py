"""Review, the state: what each topic may honestly tell its readers about its review.

A topic counts as reviewed only while its fingerprint matches its latest sign-off, made by a
member of the advisory board. Typing `status: approved` does not make it so (crosscheck.py
refuses that without a sign-off); everything the page, the handout and the JSON-LD say about
review comes from the Review made here. Nor does `status: under_review`: a topic is shown as
being checked only while a member of the board is assigned to it (`reviewers:` in topic.yml);
without one its readers are told that no clinician has reviewed it yet (NO_REVIEWER).
"""
from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from ..base.model import BoardMember, Library, SignOff, Status, Topic, board_member
from ..base.problems import Problem, warning
from ..base.variant import Variant
from .signoff import changes, fingerprint, snapshot

APPROVED, CHANGED, NO_REVIEWER = "approved", "changed-since-review", "no-reviewer"


@dataclass(frozen=True)
class Review:
    """A topic's review as readers are told it."""

    topic: str
    state: str  # approved | changed-since-review | under_review | no-reviewer | submitted
    status: Status  # the state the publication policy goes by
    published: bool  # whether `make site` publishes it (site_config/policy.yml)
    last_updated: datetime.date  # the newest date of the change log
    next_review: datetime.date
    label: str  # the state in the reader's words (the strings file's review.labels)
    overdue_since: datetime.date | None = None
    signoff: SignOff | None = None  # the valid sign-off, or the one the topic changed since
    changes: tuple[str, ...] = ()
    reviewers: tuple[BoardMember, ...] = ()  # the board members assigned, while under review

    @property
    def reviewed(self) -> bool:
        return self.state == APPROVED

    @property
    def shown_status(self) -> str:
        """The status its banner stands for: the policy's, but no-reviewer for a topic under
        review that no board member is checking (its banner says so)."""
        return NO_REVIEWER if self.state == NO_REVIEWER else self.status

    def cache_key(self) -> str:
        """Everything of the review a page or handout shows, for the caches that keep them."""
        signed = self.signoff and (self.signoff.reviewer, self.signoff.credentials,
                                   str(self.signoff.date))
        checking = [(m.name, m.credentials) for m in self.reviewers]
        return json.dumps([self.state, self.label, self.status, str(self.last_updated),
                           str(self.next_review), str(self.overdue_since), signed, checking])


def member(library: Library, name: str) -> BoardMember | None:
    return board_member(library.site.board, name)


def assigned(library: Library, topic: Topic) -> tuple[BoardMember, ...]:
    """The topic's assigned reviewers who are on the board; a name that is not counts for
    nothing (crosscheck.py reports it)."""
    found = (member(library, name) for name in topic.reviewers)
    return tuple(m for m in found if m is not None)


def review_states(library: Library, variants: Iterable[Variant],
                  today: datetime.date | None = None) -> tuple[dict[str, Review], list[Problem]]:
    """Every topic's Review, and the problems of its sign-off records."""
    today = today or datetime.date.today()
    variants = list(variants)
    reviews: dict[str, Review] = {}
    problems: list[Problem] = []
    for topic in library.topics.values():
        review, found = topic_review(library, topic, variants, today)
        reviews[topic.key] = review
        problems += found
    return reviews, problems


def topic_review(library: Library, topic: Topic, variants: list[Variant],
                 today: datetime.date) -> tuple[Review, list[Problem]]:
    problems = list(_tampered(topic))
    latest = topic.signoffs[-1] if topic.signoffs else None
    state: str = topic.status if topic.status != APPROVED else "under_review"
    found: tuple[str, ...] = ()
    current = snapshot(library, topic, variants) if latest is not None else {}
    if latest is not None and not problems:
        now = fingerprint(current)
        if member(library, latest.reviewer) is None:
            problems.append(Problem(
                topic.signoffs_source, latest.line, "signoff-unknown-reviewer",
                f"the sign-off of {latest.date} is by '{latest.reviewer}', who is not on the "
                "advisory board (site_config/advisory_board.yml)",
                "add the reviewer to site_config/advisory_board.yml, or have a board member "
                f"review the topic: make approve TOPIC={topic.key} REVIEWER=\"NAME\""))
        elif latest.fingerprint == now:
            state = APPROVED
        else:
            state = CHANGED
            found = tuple(changes(latest.snapshot, current, topic.key))
            problems.append(_changed_problem(topic, latest, found))
    status: Status = "approved" if state == APPROVED else (
        topic.status if topic.status != "approved" else "under_review")
    checking = assigned(library, topic) if state == "under_review" else ()
    if state == "under_review" and not checking:
        state = NO_REVIEWER
    policy = library.site.policy
    published = status in policy.published_states and (
        state != CHANGED or policy.publish_changed_since_review)
    return Review(
        topic=topic.key, state=state, status=status, published=published,
        last_updated=max(c.date for c in topic.changes), next_review=topic.next_review,
        label=getattr(library.site.strings.review.labels, state.replace("-", "_")),
        overdue_since=topic.next_review if topic.next_review < today else None,
        signoff=latest if state in (APPROVED, CHANGED) else None, changes=found,
        reviewers=checking), problems


def _tampered(topic: Topic) -> Iterable[Problem]:
    """A record whose snapshot no longer hashes to its fingerprint was edited by hand."""
    for record in topic.signoffs:
        if fingerprint(record.snapshot) != record.fingerprint:
            yield Problem(topic.signoffs_source, record.line, "signoff-edited",
                          f"the sign-off of {record.date} by {record.reviewer} was changed after "
                          "it was made: its snapshot no longer matches its fingerprint",
                          "restore the file from version control; sign-offs are only ever "
                          "appended, by `make approve`")


def _changed_problem(topic: Topic, latest: SignOff, found: tuple[str, ...]) -> Problem:
    listed = "".join(f"\n    {line}" for line in found) or "\n    (no change a reader sees)"
    return warning(topic.signoffs_source, latest.line, "changed-since-review",
                   f"topic '{topic.key}' has changed since its review on {latest.date} by "
                   f"{latest.reviewer}:{listed}",
                   "say what changed under `changes:` in topic.yml (readers see its newest date "
                   "as \"Last updated\"), have a board member review it, then record that: "
                   f"make approve TOPIC={topic.key} REVIEWER=\"NAME\"; or undo the changes")
