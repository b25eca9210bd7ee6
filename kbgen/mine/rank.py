"""Tally each group as questions stream past (volume, trend, paraphrases) and rank the groups.

Trends compare the last 30 days of the log with the 30 days before, counted back from the newest
timestamp in the log (never from today's date), so a re-run on the same log gives the same report.
Memory per group is bounded: a fixed number of paraphrase candidates is kept (space-saving counts).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kbgen.mine.clean import display_question, question_key
from kbgen.mine.records import QuestionGroup

WINDOW = timedelta(days=30)
# Paraphrase candidates remembered per group (the most asked wordings survive).
CANDIDATES_PER_GROUP = 64
MAX_QUESTION_CHARACTERS = 200
_MASK = re.compile(r"\[(?:email|phone|card|link|number)\]")
_TRAILING_POLITENESS = re.compile(r"[\s,]*\b(?:please|pls|plz|asap|thanks|thank you|thx)\W*$", re.IGNORECASE)
# Requests made into the question a help center answers; ``rest`` is what is asked for.
_REQUESTS = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"^(?:please\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+)?(?P<rest>.+)$", "Can you "),
        (r"^i\s+(?:need|want|would\s+like|'d\s+like)\s+you\s+to\s+(?P<rest>.+)$", "Can you "),
        (r"^(?:please\s+)?(?:i\s+(?:need|want|would\s+like|'d\s+like|have|wish)\s+to|help\s+me(?:\s+to)?|i\s+must)\s+(?P<rest>.+)$", "How do I "),
        (r"^(?:please\s+)(?P<rest>.+)$", "Can you "),
        (r"^(?P<rest>(?:tell|show|give|remind|help)\s+me\b.+)$", "Can you "),
    )
)
# Wordings considered for a title, in order of representativeness.
TITLE_CANDIDATES = 12
_ASKING_WORDS = (
    "how", "what", "what's", "whats", "why", "where", "where's", "when", "which", "who", "can", "could", "do", "does", "did", "is",
    "are", "should", "will", "would", "may", "am", "was", "were", "has", "have", "whose",
)


@dataclass
class _Wording:
    text: str
    count: int
    similarity: float
    first_row: int


@dataclass
class GroupTally:
    """Running counts for one group."""

    asked: int = 0
    recent: int = 0
    previous: int = 0
    wordings: dict[str, _Wording] = field(default_factory=dict)

    def add(self, row: int, text: str, similarity: float, window: tuple[datetime, datetime] | None, asked_at: datetime | None) -> None:
        self.asked += 1
        if window is not None and asked_at is not None:
            previous_start, recent_start = window
            if asked_at > recent_start:
                self.recent += 1
            elif asked_at > previous_start:
                self.previous += 1
        key = question_key(text)
        wording = self.wordings.get(key)
        if wording is not None:
            wording.count += 1
            wording.similarity = max(wording.similarity, similarity)
            return
        if len(self.wordings) < CANDIDATES_PER_GROUP:
            self.wordings[key] = _Wording(text, 1, similarity, row)
            return
        # Space-saving: the rarest candidate makes room, and the newcomer inherits its count.
        rarest_key = min(self.wordings, key=lambda candidate: (self.wordings[candidate].count, -self.wordings[candidate].first_row))
        inherited = self.wordings.pop(rarest_key).count
        self.wordings[key] = _Wording(text, inherited + 1, similarity, row)


def trend_window(newest: datetime | None) -> tuple[datetime, datetime] | None:
    """(start of the previous period, start of the recent period), or None without timestamps."""
    if newest is None:
        return None
    return newest - 2 * WINDOW, newest - WINDOW


def summarise_group(group_id: int, tally: GroupTally, keywords: tuple[str, ...], max_questions: int = 8) -> QuestionGroup:
    """The group's title (its most representative wording) and its distinct paraphrases."""
    most = max((wording.count for wording in tally.wordings.values()), default=1)
    ranked = sorted(tally.wordings.values(), key=lambda wording: (-_representativeness(wording, most), wording.first_row))
    chosen: list[str] = []
    seen: set[str] = set()
    for wording in ranked:
        text = display_question(wording.text, MAX_QUESTION_CHARACTERS)
        key = question_key(text)
        if key and key not in seen:
            seen.add(key)
            chosen.append(text)
        if len(chosen) > max_questions:
            break
    title = as_title(_title_wording(chosen), chosen) if chosen else ""
    chosen = [question for question in chosen if question_key(question) != question_key(title)] if chosen else []
    return QuestionGroup(
        group_id=group_id,
        title=title,
        questions=tuple(question for question in chosen if question_key(question) != question_key(title))[:max_questions],
        asked=tally.asked,
        recent=tally.recent,
        previous=tally.previous,
        keywords=keywords,
        wordings=tuple((wording.text, wording.count) for wording in sorted(tally.wordings.values(), key=lambda wording: wording.first_row)),
    )


def _title_wording(ranked: list[str]) -> str:
    """The most representative wording a title can be made of: a few words, no masked detail, question-shaped first."""
    def usable(text: str) -> bool:
        return 3 <= len(text.split()) <= 20 and "[" not in text

    for accept in (lambda text: usable(text) and _as_question(text) != "", usable, lambda text: len(text.split()) >= 2, lambda text: True):
        found = next((text for text in ranked[:TITLE_CANDIDATES] if accept(text)), None)
        if found is not None:
            return found
    return ranked[0]


def as_title(question: str, wordings: Sequence[str] = ()) -> str:
    """A customer's wording made into an FAQ title: a sentence-case question ending in "?".

    Greetings and sign-offs are gone already (``kbgen.mine.clean``); masks of personal data are
    dropped; a request ("I want to cancel my order", "can you cancel it") becomes "How do I …?" or
    "Can you …?"; words another customer of the group typed with a capital (a brand, a city) keep it.
    """
    text = _MASK.sub("", question)
    text = re.sub(r"\s+([,.?!;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,;:-")
    text = _TRAILING_POLITENESS.sub("", text).rstrip(" ,;:-.!")
    text = _as_question(text) or f"{text}: what can I do"
    text = _proper_case(text, wordings)
    return text.rstrip(" ?.!") + "?"


def _as_question(text: str) -> str:
    """``text`` as a question, or "" when it is a statement."""
    for pattern, replacement in _REQUESTS:
        found = pattern.match(text)
        if found:
            return replacement + found.group("rest")
    words = text.split()
    return text if words and words[0].lower().strip("'’") in _ASKING_WORDS else ""


def _proper_case(text: str, wordings: Sequence[str]) -> str:
    """Sentence case: first letter capital, "I" capital, and the capitals customers typed mid-sentence."""
    capitals: dict[str, str] = {}
    for wording in wordings:
        for word in re.findall(r"(?<=\w )[A-Z][\w'’-]*", wording):
            capitals.setdefault(word.lower(), word)
    words = [capitals.get(word.lower(), word) for word in text.split(" ")]
    text = re.sub(r"\bi\b", "I", " ".join(words))
    text = re.sub(r"\bi'(m|ve|d|ll)\b", lambda found: "I'" + found.group(1), text)
    return text[:1].upper() + text[1:]


def _representativeness(wording: _Wording, most: int) -> float:
    """Close to the group's centre first; frequent, short, question-shaped wordings break near-ties."""
    words = wording.text.split()
    score = wording.similarity + 0.15 * math.log1p(wording.count) / math.log1p(most)
    if wording.text.rstrip().endswith("?") or (words and words[0].lower() in _ASKING_WORDS):
        score += 0.05
    if len(wording.text) > 120:
        score -= 0.1
    if "[" in wording.text:  # a masked detail is specific to one customer
        score -= 0.05
    return score


def rank_groups(groups: list[QuestionGroup]) -> list[QuestionGroup]:
    """Most asked first; a rising group before a steady one of the same volume."""
    return sorted(groups, key=lambda group: (-group.asked, -group.growth, group.title, group.group_id))


def rising_groups(groups: list[QuestionGroup], limit: int = 10) -> list[QuestionGroup]:
    """Groups asked more in the last 30 days than in the 30 before, fastest growing first."""
    rising = [group for group in groups if group.trend in ("rising", "new") and group.growth > 0]
    return sorted(rising, key=lambda group: (-group.growth, -group.asked, group.group_id))[:limit]

