"""What the help center's own events add to a mining run: failed searches as gaps, votes, answered questions.

``kbgen mine`` reads an events file (kbgen.events) as a log: each search that found nothing is a
question, grouped with the others. This module tallies the rest and reads the grouping back:
a group whose questions are mostly failed searches is a gap (customers looked and found nothing,
whatever article its words resemble), and an article with at least as many "not helpful" as
"helpful" votes, and at least one, covers its groups badly.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kbgen.errors import KbgenError
from kbgen.events import EventError, SiteEvent, parse_event_line
from kbgen.mine.clean import mask_personal_data
from kbgen.mine.readers import QuestionReader, detect_format, open_log
from kbgen.mine.records import LoggedQuestion, MiningSummary

log = logging.getLogger(__name__)

EVENTS_FORMAT = "events"
COMMENTS_KEPT = 5  # the customers' own words shown per article, newest last


class EventTrackingReader(QuestionReader):
    """A QuestionReader that also remembers which rows are failed searches from an events file."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.search_rows: set[int] = set()

    def __iter__(self) -> Iterator[LoggedQuestion]:
        for question in super().__iter__():
            if self.formats.get(question.source) == EVENTS_FORMAT:
                self.search_rows.add(question.row)
            yield question

    @property
    def event_paths(self) -> list[Path]:
        return [Path(path) for path, name in sorted(self.formats.items()) if name == EVENTS_FORMAT]


def holds_events(paths: Iterable[Path], log_format: str = "auto") -> bool:
    """Whether any of ``paths`` is read as the help center's events (by its first line, unless the format is given)."""
    if log_format != "auto":
        return log_format == EVENTS_FORMAT
    return any(detect_format(Path(path)) == EVENTS_FORMAT for path in paths)


@dataclass(frozen=True)
class PageVotes:
    """The votes on one page, and why customers said it did not help."""

    page: str
    title: str
    helpful: int
    not_helpful: int
    reasons: tuple[tuple[str, int], ...]  # (reason, count), most given first
    comments: tuple[str, ...]

    @property
    def covered_badly(self) -> bool:
        return self.not_helpful > 0 and self.not_helpful >= self.helpful


@dataclass(frozen=True)
class SiteFeedback:
    """Everything the events files said, tallied."""

    events: int
    failed_searches: int
    answered: tuple[tuple[str, str, int], ...]  # (page, title, times a suggestion ended the contact flow)
    votes: tuple[PageVotes, ...]
    search_groups: tuple[tuple[int, int], ...] = ()  # (group id, failed searches in it)


def read_events(paths: Iterable[Path]) -> Iterator[SiteEvent]:
    """Every valid event of ``paths`` (bad lines were already reported by the question reader)."""
    for path in paths:
        with open_log(path) as stream:
            for line in stream:
                if not line.strip():
                    continue
                try:
                    yield parse_event_line(line)
                except EventError:
                    continue


def tally_events(events: Iterable[SiteEvent]) -> SiteFeedback:
    count = searches = 0
    answered: Counter[tuple[str, str]] = Counter()
    titles: dict[str, str] = {}
    helpful: Counter[str] = Counter()
    not_helpful: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    comments: dict[str, list[str]] = {}
    for event in events:
        count += 1
        if event.type == "search":
            searches += 1
        elif event.type == "answered":
            answered[event.page] += 1
            titles[event.page] = event.title or titles.get(event.page, "")
        else:
            titles[event.page] = event.title or titles.get(event.page, "")
            if event.helpful:
                helpful[event.page] += 1
            else:
                not_helpful[event.page] += 1
                reasons.setdefault(event.page, Counter())[event.reason or "none given"] += 1
                if event.comment:
                    comments.setdefault(event.page, []).append(mask_personal_data(event.comment))
    votes = [
        PageVotes(
            page, titles.get(page, ""), helpful[page], not_helpful[page],
            tuple(sorted(reasons.get(page, Counter()).items(), key=lambda item: (-item[1], item[0]))),
            tuple(comments.get(page, [])[-COMMENTS_KEPT:]),
        )
        for page in sorted(set(helpful) | set(not_helpful))
    ]
    votes.sort(key=lambda vote: (-vote.not_helpful, vote.helpful, vote.page))
    return SiteFeedback(
        events=count,
        failed_searches=searches,
        answered=tuple(sorted(((page, titles.get(page, ""), n) for page, n in answered.items()), key=lambda item: (-item[2], item[0]))),
        votes=tuple(votes),
    )


def read_assignments(path: Path) -> dict[int, int]:
    """``row -> cluster`` from the CSV ``kbgen mine --assignments`` writes."""
    try:
        with open(path, encoding="utf-8", newline="") as file:
            return {int(row["row"]): int(row["cluster"]) for row in csv.DictReader(file)}
    except (OSError, KeyError, ValueError) as error:
        raise KbgenError(str(path), f"cannot read the assignments: {error}") from None


def apply_feedback(summary: MiningSummary, feedback: SiteFeedback, search_rows: set[int], assignments: dict[int, int]) -> tuple[MiningSummary, SiteFeedback]:
    """Groups made mostly of failed searches become gaps; the feedback learns which groups hold failed searches."""
    in_group = Counter(assignments[row] for row in search_rows if assignments.get(row, -1) >= 0)
    groups = []
    for group in summary.groups:
        failed = in_group.get(group.group_id, 0)
        if group.covered and 2 * failed > group.asked:
            log.info("group %d (%s): mostly searches that found nothing on the site; counted as a gap", group.group_id, group.title)
            group = replace(group, covered=False)
        groups.append(group)
    order = {group.group_id: rank for rank, group in enumerate(summary.groups)}
    search_groups = tuple(sorted(((group_id, n) for group_id, n in in_group.items() if group_id in order), key=lambda item: order[item[0]]))
    return replace(summary, groups=tuple(groups)), replace(feedback, search_groups=search_groups)


def feedback_data(feedback: SiteFeedback, groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's ``site`` section as plain data; ``groups`` are the report's group entries (by id)."""
    by_url = {}
    for group in groups:
        match = group.get("match")
        if match and group["covered"]:
            by_url.setdefault(match["url"], []).append(group["id"])
    return {
        "events": feedback.events,
        "failed_searches": feedback.failed_searches,
        "search_groups": [{"id": group_id, "failed_searches": n} for group_id, n in feedback.search_groups],
        "votes": [
            {
                "page": vote.page, "title": vote.title, "helpful": vote.helpful, "not_helpful": vote.not_helpful,
                "covered_badly": vote.covered_badly, "reasons": dict(vote.reasons), "comments": list(vote.comments),
                "groups": by_url.get(vote.page, []),
            }
            for vote in feedback.votes
        ],
        "answered": [{"page": page, "title": title, "count": n} for page, title, n in feedback.answered],
    }
