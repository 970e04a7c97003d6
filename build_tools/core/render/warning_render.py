"""Stage 3, render: a topic's warning signs for one audience, most urgent first.

Every audience reads the same signs with the same urgency (warning_signs.py checks the data);
only the words differ. Patients get them as their own section right below the short answer
(on a phone's first screen, and boxed on page 1 of the handout); nurses and physicians at the
end of the section their audience names, such as "Monitoring and escalation".
"""
from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from markupsafe import Markup

from ..base.escaping import md_text
from ..base.model import Audience, Library, Topic, WarningSection, WarningSign
from ..base.sections import headings
from ..base.sections import heading_title
from ..read.warning_signs import PLACEHOLDER, used_signs

Cite = Callable[..., Markup]
NOTE_ID = "edu-sign-note"


def warning_block(library: Library, topic: Topic, audience: Audience, cite: Cite) -> str:
    """The signs as Markdown with inline HTML; "" when the audience shows none or the topic
    has none for it."""
    section = audience.warning_signs
    signs = [s for s in used_signs(library, topic) if s.wording(audience.key)]
    if section is None or not signs:
        return ""
    number = library.site.settings.emergency_number or ""
    groups = []
    for urgency, grouped in groupby(signs, key=lambda s: s.urgency):
        group = list(grouped)
        # a group of signs none of which is verified is marked once, on its action line: on
        # a phone every line counts towards the first screen
        whole = all(not sign.verified for sign in group)
        items = "\n".join(_item(sign, audience.key, cite, "" if whole else _mark(section))
                           for sign in group)
        action = f"**{_action(section.actions[urgency], number)}**"
        groups.append(f'<div class="edu-urgency" data-urgency="{urgency}" markdown>\n\n'
                      f"{action}{_mark(section) if whole else ''}\n\n{items}\n\n</div>")
    note = (f'<p id="{NOTE_ID}" class="edu-sign-note">{md_text(section.unverified_note)}</p>'
            if any(not s.verified for s in signs) else "")
    intro = f"{md_text(section.intro)}\n\n" if section.intro else ""
    # search: the heading's words weigh as a heading's do, the signs above other text
    heading = (f'## {md_text(section.title)} {{: #{section.id} data-pagefind-weight="6" }}\n\n'
               if section.place == "after_short_answer" else "")
    body = "\n\n".join(groups)
    return (f'<div class="edu-warning-signs" data-place="{section.place}" '
            'data-pagefind-weight="2" markdown>\n\n'
            f"{heading}{intro}{body}\n\n{note}\n\n</div>")


def _action(text: str, number: str) -> str:
    """The urgency's words, the emergency number as a link a phone can dial; the number is not
    a clinical figure, so it is marked as such for the check of the published page."""
    dial = Markup('<a href="tel:{}"><span class="edu-literal">{}</span></a>').format(
        number.replace(" ", ""), number)
    parts = text.split(PLACEHOLDER)  # md_text trims each part: keep the spaces round the number
    return str(dial).join(
        (" " if part[:1].isspace() else "") + str(md_text(part)) +
        (" " if part[-1:].isspace() else "") for part in parts)


def _mark(section: WarningSection) -> str:
    return (f' <sup class="edu-sign-unverified"><a href="#{NOTE_ID}">'
            f"{md_text(section.unverified_mark)}</a></sup>")


def _item(sign: WarningSign, audience: str, cite: Cite, mark: str) -> str:
    words = str(md_text(sign.wording(audience) or ""))
    cites = f" {cite(*sign.source)}" if sign.source else ""
    mark = "" if sign.verified else mark
    return f'- <span class="edu-sign" data-sign="{sign.key}">{words}</span>{cites}{mark}'


def in_section(body: str, title: str, block: str) -> str:
    """body with block at the end of its `## title` section (the writer's section is required,
    so it is there when this is called); body unchanged when it has none."""
    found = headings(body)
    lines = body.splitlines()
    for i, (line, text) in enumerate(found):
        if _title(text) == title.casefold():
            end = found[i + 1][0] - 1 if i + 1 < len(found) else len(lines)
            return "\n".join([*lines[:end], "", block, "", *lines[end:]])
    return body


def _title(heading: str) -> str:
    return heading_title(heading).casefold()
