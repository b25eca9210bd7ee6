"""Mine and ``kbgen check`` are of one mind: a group whose draft check would call a copy of a published article is covered by it.

Real data: CLINC150's help center as ``bench/mine_quality.py`` builds it (an article, title and four
train questions, for every other intent) and the test questions of each intent as one group.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kbgen.check import DUPLICATE_THRESHOLD, check_tree
from kbgen.content.document import set_front_matter_line
from kbgen.load import load_corpus
from kbgen.mine.drafts import DraftWriter
from kbgen.mine.match import ArticleMatcher

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from bench.mine_quality import build_help_center, load_clinc, true_intent_groups  # noqa: E402 - the benchmark's help center and log


@pytest.fixture(scope="module")
def clinc() -> dict:
    if not (REPO_ROOT.parent / "shared" / "data" / "clinc150").is_dir():
        pytest.skip("CLINC150 not beside the repository (clone the project beside shared/)")
    return load_clinc()


def help_center_and_log(data: dict, folder: Path) -> tuple[Path, dict[str, str], list, list[str]]:
    """The content tree, intent -> published article, one group per intent of the test log, and the intents in group order."""
    content = folder / "content"
    published = build_help_center(content, data, 4)
    texts, truth = [text for text, _ in data["test"]], [intent for _, intent in data["test"]]
    groups, _ = true_intent_groups(texts, truth)
    return content, published, groups, sorted(set(truth))


def test_checks_duplicate_signal_alone_covers_only_the_right_article(clinc, tmp_path: Path) -> None:
    content, published, groups, intents = help_center_and_log(clinc, tmp_path)
    corpus, _ = load_corpus(content)
    # A margin no group reaches: only check's duplicate signal can cover a group.
    matched = ArticleMatcher(corpus, None, margin=1.0).match(groups)
    covered = [(group, intent) for group, intent in zip(matched, intents, strict=True) if group.covered]
    assert len(covered) >= 10
    assert all(group.match.duplicate >= DUPLICATE_THRESHOLD for group, _ in covered)
    assert [intent for group, intent in covered if group.match.path != published.get(intent)] == []


def test_no_draft_mine_writes_is_a_likely_duplicate_of_a_published_article(clinc, tmp_path: Path) -> None:
    content, _, groups, _ = help_center_and_log(clinc, tmp_path)
    corpus, _ = load_corpus(content)
    matcher = ArticleMatcher(corpus, None, margin=1.0)  # without check's signal, a margin no group reaches leaves every copy a draft
    written = DraftWriter(content, content / "faq", matcher).write(matcher.match(groups))
    drafts = {group.draft_path for group in written if group.draft_path}
    assert len(drafts) >= 100
    _, problems = check_tree(content)
    assert [problem for problem in problems if problem.is_error] == []
    assert [str(problem) for problem in problems if problem.path in drafts and "likely duplicate" in problem.message] == []


def test_a_writer_who_told_the_draft_apart_keeps_the_group_a_gap(clinc, tmp_path: Path) -> None:
    content, _, groups, _ = help_center_and_log(clinc, tmp_path)
    corpus, _ = load_corpus(content)
    matched = ArticleMatcher(corpus, None, margin=1.0).match(groups)
    number, group = next((number, group) for number, group in enumerate(matched) if group.covered)
    article = group.match.path
    # The group's draft as an earlier run wrote it, which a writer then marked as another question than the article.
    writer = ArticleMatcher(corpus, None, margin=1.0)
    (written,) = DraftWriter(content, content / "faq", writer).write([replace(group, covered=False)])
    draft = content / written.draft_path
    set_front_matter_line(draft, "unrelated", f"[{article}]")
    corpus, _ = load_corpus(content)
    assert next(document for document in corpus.articles if document.path == written.draft_path).unrelated == (article,)

    rematched = ArticleMatcher(corpus, None, margin=1.0).match(groups)
    assert not rematched[number].covered and rematched[number].match.duplicate == 0.0
    # The writer's word is about that article and that draft only: every other group covered before still is, by the same article.
    before = {index: other.match.path for index, other in enumerate(matched) if other.covered and index != number}
    assert {index: rematched[index].match.path for index in before if rematched[index].covered} == before
    _, problems = check_tree(content)
    assert [str(problem) for problem in problems if problem.path == written.draft_path and "likely duplicate" in problem.message] == []
