"""Plain records the mining steps pass to each other: questions read, groups found, and their fate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LoggedQuestion:
    """One question as read from a log, before cleaning (never written anywhere as is)."""

    row: int  # 0-based position among all questions read, in input order
    text: str
    source: str  # file it came from
    line: int  # line where its record starts
    asked_at: datetime | None = None  # naive UTC


@dataclass(frozen=True)
class ArticleMatch:
    """The published article closest to a group, and how well it covers the group's questions."""

    path: str
    title: str
    url: str
    category: str
    search_score: float  # cosine of the closest pair below (customer wording, article variant)
    similarity: float  # mean over the group's wordings of the cosine to the article's closest question variant
    question: str = ""  # the group's wording closest to the article: why it is covered
    variant: str = ""  # the article's question variant (title or one of ``questions:``) it is closest to
    margin: float = 0.0  # ``similarity`` minus that of the next closest article: how clearly this one is meant
    runner_up: str = ""  # path of that next closest article ("" when only one is published)
    closer_group: str = ""  # title of another group of the log this article answers better ("" when none)
    # ``kbgen check``'s relatedness of the group's would-be draft with this article, when that decided coverage (0.0 when not)
    duplicate: float = 0.0


@dataclass(frozen=True)
class QuestionGroup:
    """Paraphrases of one customer need, with its volume, trend and what the help center has for it."""

    group_id: int  # the cluster number in the assignments file
    title: str  # the most representative question (cleaned)
    questions: tuple[str, ...]  # distinct real paraphrases (cleaned), best first, title excluded
    asked: int  # how many questions of the log fall in the group
    recent: int = 0  # asked in the last 30 days of the log
    previous: int = 0  # asked in the 30 days before that
    keywords: tuple[str, ...] = ()
    # Every distinct wording kept for the group and how often it was asked: what coverage votes with.
    wordings: tuple[tuple[str, int], ...] = ()
    match: ArticleMatch | None = None
    covered: bool = False
    category: str = ""  # suggested category for a draft
    draft_path: str = ""  # content path of the draft written or kept for it
    draft_state: str = ""  # created | updated | unchanged | kept (writer-edited) | rejected (status: rejected, not written)

    @property
    def trend(self) -> str:
        """rising | falling | steady | new | "" (no timestamps in the window)."""
        if not self.recent and not self.previous:
            return ""
        if not self.previous:
            return "new"
        ratio = self.recent / self.previous
        if ratio >= 1.5 and self.recent - self.previous >= 3:
            return "rising"
        if ratio <= 1 / 1.5 and self.previous - self.recent >= 3:
            return "falling"
        return "steady"

    @property
    def growth(self) -> int:
        return self.recent - self.previous


@dataclass(frozen=True)
class MiningSummary:
    """What a run found: counts, the coverage figure and the ranked groups."""

    sources: tuple[str, ...]
    questions: int  # questions read
    skipped_rows: int  # bad rows reported and skipped
    empty_questions: int  # questions with nothing left after cleaning
    noise: int  # questions that fit no group
    newest: str  # ISO timestamp of the newest question, "" without timestamps
    groups: tuple[QuestionGroup, ...] = ()
    updated_articles: tuple[str, ...] = ()  # content paths whose `asked` was updated
    removed_drafts: tuple[str, ...] = ()  # the miner's unedited drafts of questions answered elsewhere now (content paths)
    settings: dict[str, object] = field(default_factory=dict)

    @property
    def grouped(self) -> int:
        return sum(group.asked for group in self.groups)

    @property
    def covered_questions(self) -> int:
        return sum(group.asked for group in self.groups if group.covered)

    @property
    def coverage_ratio(self) -> float:
        """Share of grouped questions that a published article already answers."""
        return self.covered_questions / self.grouped if self.grouped else 0.0
