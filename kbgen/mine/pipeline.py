"""Run the mining steps in order over a stream of logged questions, in bounded memory.

Pass 1 cleans every question and keeps a seeded reservoir sample of at most ``sample_size``
questions; the grouper is fitted on that sample. When the log fits in the sample (the usual case
up to tens of thousands of questions) that is the grouping; otherwise pass 2 reads the logs again
and assigns every other question to the nearest group in batches. Memory grows with the sample
and the number of groups, never with the length of the log.
"""

from __future__ import annotations

import csv
import logging
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from kbgen.content.atomic import atomic_writer
from kbgen.mine.clean import clean_question
from kbgen.mine.drafts import DraftWriter, update_matched_articles
from kbgen.mine.group import NOISE, QuestionGrouper
from kbgen.mine.match import ArticleMatcher, Searcher
from kbgen.mine.rank import GroupTally, rank_groups, summarise_group, trend_window
from kbgen.mine.readers import QuestionReader
from kbgen.mine.records import MiningSummary, QuestionGroup
from kbgen.model import Corpus
from kbgen.semantic import CachedEncoder

log = logging.getLogger(__name__)

Item = TypeVar("Item")


@dataclass(frozen=True)
class MineSettings:
    """How to mine: grouping parameters, sampling and output options."""

    sample_size: int = 20_000  # questions the grouper is fitted on; the rest are assigned to its groups
    min_group_size: int = 3
    max_questions: int = 8  # paraphrases listed per group
    batch_size: int = 2_000
    random_state: int = 0
    progress: bool = False  # tqdm bars on stderr
    encoder: Any = None  # optional sentence encoder (kbgen.semantic)
    cache_dir: Path | None = None  # where question embeddings are kept between runs (keyed by text hash)
    grouper_options: dict[str, Any] = field(default_factory=dict)

    def grouper(self) -> QuestionGrouper:
        encoder = self.encoder
        if encoder is not None:
            encoder = CachedEncoder(encoder, self.cache_dir, namespace="mined-questions", progress=self.progress)
        bar = (lambda items, description: progress(items, description, True, unit=" passes")) if self.progress else None
        return QuestionGrouper(
            min_group_size=self.min_group_size, encoder=encoder, random_state=self.random_state, progress=bar, **self.grouper_options
        )


@dataclass(frozen=True)
class Grouping:
    """The groups of a log (before matching) and the counts around them."""

    groups: list[QuestionGroup]
    questions: int
    empty_questions: int
    noise: int
    newest: datetime | None


def progress(items: Iterable[Item], description: str, enabled: bool, total: int | None = None, unit: str = " questions") -> Iterator[Item]:
    """A progress bar on stderr when enabled (the CLI enables it on a terminal)."""
    yield from tqdm(items, desc=description, total=total, unit=unit, disable=not enabled, leave=False, mininterval=0.5)


def group_questions(reader: QuestionReader, settings: MineSettings, assignments: Path | None = None) -> Grouping:
    """Clean, sample, group and tally every question of ``reader``; optionally write ``row,cluster``."""
    sample: list[tuple[int, str]] = []
    times: dict[int, datetime] = {}
    chooser = random.Random(settings.random_state)
    questions = usable = empty = 0
    newest: datetime | None = None
    for question in progress(reader, "reading", settings.progress):
        questions += 1
        if question.asked_at is not None and (newest is None or question.asked_at > newest):
            newest = question.asked_at
        text = clean_question(question.text)
        if not text:
            empty += 1
            continue
        usable += 1
        if len(sample) < settings.sample_size:
            sample.append((question.row, text))
        else:
            slot = chooser.randrange(usable)
            if slot < settings.sample_size:
                sample[slot] = (question.row, text)
        if question.asked_at is not None and usable <= settings.sample_size:
            times[question.row] = question.asked_at
    complete = usable <= settings.sample_size
    log.debug("read %d questions (%d empty after cleaning); grouping %d", questions, empty, len(sample))

    grouper = settings.grouper()
    sample.sort()
    grouper.fit([text for _, text in sample])
    known = {row: (int(label), float(similarity)) for (row, _), label, similarity in zip(sample, grouper.labels_, grouper.similarities_, strict=True)}
    tallies = [GroupTally() for _ in range(grouper.n_groups_)]
    window = trend_window(newest)
    noise = empty

    if complete:
        texts = dict(sample)
        labelled: Iterable[tuple[int, str, datetime | None, int, float]] = (
            (row, texts[row], times.get(row), *known[row]) for row, _ in sample
        )
    else:
        labelled = _assign_all(reader, grouper, known, settings, questions)
    labels_by_row: list[int] | None = [NOISE] * questions if assignments is not None and complete else None
    with AssignmentFile(assignments) as write_assignment:
        for row, text, asked_at, label, similarity in labelled:
            if label == NOISE:
                noise += bool(text)  # empty questions are counted already
            else:
                tallies[label].add(row, text, similarity, window, asked_at)
            if labels_by_row is not None:
                labels_by_row[row] = label
            else:
                write_assignment(row, label)
        for row, label in enumerate(labels_by_row or []):
            write_assignment(row, label)
    groups = [summarise_group(number, tally, grouper.keywords_[number], settings.max_questions) for number, tally in enumerate(tallies) if tally.asked]
    return Grouping(rank_groups(groups), questions, empty, noise, newest)


def _assign_all(
    reader: QuestionReader, grouper: QuestionGrouper, known: dict[int, tuple[int, float]], settings: MineSettings, total: int
) -> Iterator[tuple[int, str, datetime | None, int, float]]:
    """Pass 2: every question with its group (the sample keeps the labels it was fitted with)."""
    batch: list[tuple[int, str, datetime | None]] = []

    def flush() -> Iterator[tuple[int, str, datetime | None, int, float]]:
        unknown = [text for row, text, _ in batch if row not in known]
        labels, similarities = grouper.assign(unknown)
        position = 0
        for row, text, asked_at in batch:
            if row in known:
                yield row, text, asked_at, *known[row]
            else:
                yield row, text, asked_at, int(labels[position]), float(similarities[position])
                position += 1
        batch.clear()

    for question in progress(reader, "grouping", settings.progress, total=total):
        text = clean_question(question.text)
        if not text:
            yield question.row, "", question.asked_at, NOISE, 0.0
            continue
        batch.append((question.row, text, question.asked_at))
        if len(batch) >= settings.batch_size:
            yield from flush()
    yield from flush()


class AssignmentFile:
    """Write ``row,cluster`` lines to a temporary file, renamed into place when complete."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.next_row = 0

    def __enter__(self) -> Any:
        if self.path is None:
            return lambda row, label: None
        self.stream = atomic_writer(self.path)
        self.writer = csv.writer(self.stream.__enter__(), lineterminator="\n")
        self.writer.writerow(["row", "cluster"])
        self.pending: dict[int, int] = {}
        return self.write

    def write(self, row: int, label: int) -> None:
        # Rows arrive in input order except empty questions, which pass 2 yields at once.
        self.pending[row] = label
        while self.next_row in self.pending:
            self.writer.writerow([self.next_row, self.pending.pop(self.next_row)])
            self.next_row += 1

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if self.path is None:
            return
        self.stream.__exit__(kind, error, trace)


def mine(
    reader: QuestionReader,
    corpus: Corpus,
    index: Searcher | None,
    *,
    out_dir: Path | None = None,
    settings: MineSettings | None = None,
    assignments: Path | None = None,
    update_asked: bool = False,
    write_drafts: bool = True,
) -> MiningSummary:
    """Mine ``reader``'s logs against ``corpus``: groups, coverage, drafts (in ``out_dir``) and counts."""
    settings = settings or MineSettings()
    grouping = group_questions(reader, settings, assignments)
    matcher = ArticleMatcher(corpus, index, encoder=settings.encoder)
    groups = matcher.match(grouping.groups)
    removed: list[str] = []
    if write_drafts:
        writer = DraftWriter(corpus.root, out_dir or corpus.root / "faq", matcher, update_asked=update_asked)
        groups = writer.write(groups)
        removed = writer.removed
    updated = update_matched_articles(corpus.root, groups) if update_asked else []
    return MiningSummary(
        sources=tuple(str(path) for path in reader.paths),
        questions=grouping.questions,
        skipped_rows=reader.skipped,
        empty_questions=grouping.empty_questions,
        noise=grouping.noise,
        newest=grouping.newest.isoformat(timespec="seconds") if grouping.newest else "",
        groups=tuple(groups),
        updated_articles=tuple(updated),
        removed_drafts=tuple(removed),
        settings={
            "sample_size": settings.sample_size,
            "min_group_size": settings.min_group_size,
            "coverage_threshold": matcher.threshold,
            "coverage_margin": matcher.margin,
            "grouping": "semantic" if settings.encoder is not None else "lexical",
            "random_state": settings.random_state,
        },
    )
