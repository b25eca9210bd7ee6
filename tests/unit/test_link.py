"""Related links: threshold, determinism, two-way links, writer overrides, drafts, likely duplicates."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kbgen.check import likely_duplicates
from kbgen.link import LinkSettings, Related, RelatedLink, compute_links
from kbgen.load import load_corpus
from kbgen.model import Corpus
from kbgen.rank import RelatednessModel

PAGES = {
    "faq/billing/request-a-refund.md": """
        ---
        title: Request a refund for your subscription
        questions: [Can I get my money back?, I was charged twice this month]
        ---
        Yearly plans are refunded within 14 days. Duplicate charges are refunded in full:
        open Billing history, find the charge and click Request refund.
    """,
    "faq/billing/update-your-payment-card.md": """
        ---
        title: Update your payment card
        questions: [My card expired]
        ---
        Open Plan and billing, click Payment method and enter the new card. The failed
        subscription payment is retried at once.
    """,
    "faq/account/reset-your-password.md": """
        ---
        title: Reset your password
        questions: [I forgot my password]
        ---
        Click Forgot password on the sign-in page. The reset e-mail arrives within a minute;
        check your spam folder.
    """,
    "faq/account/export-your-data.md": """
        ---
        title: Export your data before you leave
        ---
        Download a ZIP archive of spreadsheets from Settings, Data export.
    """,
    "community/billing/charged-twice-for-one-month.md": """
        ---
        title: Charged twice for one month, can I get a refund?
        author: sam
        date: 2026-01-12
        answers:
          - author: priya
            date: 2026-01-12
            accepted: true
            body: Duplicate charges are refunded in full; use Request refund in Billing history.
        solved: true
        ---
        My card was charged twice for the same month of my subscription. How do I get the
        duplicate charge refunded?
    """,
    "community/account/reset-email-never-arrives.md": """
        ---
        title: Password reset e-mail never arrives
        author: ana
        date: 2026-02-01
        ---
        I clicked Forgot password three times and no reset e-mail arrived, not even in spam.
    """,
    "community/account/dark-mode.md": """
        ---
        title: Feature request, a dark theme for the dashboard
        author: li
        date: 2026-03-01
        ---
        Staring at the white dashboard at night hurts my eyes. Any plans for a dark colour scheme?
    """,
}


@pytest.fixture
def corpus(write_tree) -> Corpus:
    corpus, problems = load_corpus(write_tree(PAGES))
    assert not [problem for problem in problems if problem.is_error]
    return corpus


def paths(links: tuple[RelatedLink, ...]) -> list[str]:
    return [link.path for link in links]


def test_every_page_has_an_entry_and_related_pages_are_found(corpus):
    links = compute_links(corpus)
    assert set(links) == {document.path for document in corpus.documents()}
    refund = links["faq/billing/request-a-refund.md"]
    assert paths(refund.threads) == ["community/billing/charged-twice-for-one-month.md"]
    reset = links["community/account/reset-email-never-arrives.md"]
    assert paths(reset.articles)[0] == "faq/account/reset-your-password.md"
    assert all(isinstance(link, RelatedLink) and 0 < link.score <= 1 for related in links.values() for link in (*related.articles, *related.threads))


def test_unrelated_page_gets_no_links(corpus):
    assert compute_links(corpus)["community/account/dark-mode.md"] == Related()


def test_threshold_drops_weak_links(corpus):
    loose = compute_links(corpus, threshold=0.01)
    strict = compute_links(corpus, threshold=0.99)
    assert sum(len(related.articles) + len(related.threads) for related in loose.values()) > sum(
        len(related.articles) + len(related.threads) for related in compute_links(corpus).values()
    )
    assert all(related == Related() for related in strict.values())
    default = LinkSettings().threshold
    assert all(link.score >= default for related in compute_links(corpus).values() for link in (*related.articles, *related.threads))


def test_links_are_sorted_best_first_and_limited(corpus):
    """A page lists its own best up to the limit; past it, only pages that list it among their first (links owed back)."""
    links = compute_links(corpus, threshold=0.0, max_articles=2, max_threads=1)
    own = compute_links(corpus, threshold=0.0, max_articles=2, max_threads=1, reciprocal_rank=0)
    first_two = compute_links(corpus, threshold=0.0, max_articles=2, max_threads=2, reciprocal_rank=0)
    for path, related in links.items():
        assert len(own[path].articles) <= 2 and len(own[path].threads) <= 1
        for kind, limit in (("articles", 2), ("threads", 1)):
            listed, best = paths(getattr(related, kind)), paths(getattr(own[path], kind))
            assert set(best) <= set(listed) and len(listed) <= 2 * limit
            for extra in set(listed) - set(best):  # owed: the other page lists this one among its first two
                assert path in paths(first_two[extra].articles) + paths(first_two[extra].threads), (path, extra)
        scores = [link.score for link in related.articles]
        assert scores == sorted(scores, reverse=True)


def test_links_do_not_depend_on_file_order(corpus):
    shuffled = list(corpus.documents())
    random.Random(4).shuffle(shuffled)
    reordered = replace(corpus, articles=tuple(page for page in shuffled if page.kind == "article"), threads=tuple(page for page in shuffled if page.kind == "thread"))
    assert compute_links(reordered) == compute_links(corpus)


def test_equal_scores_break_ties_by_path(write_tree):
    twins = {f"faq/billing/twin-{letter}.md": "---\ntitle: Invoice reminder schedule\n---\nReminders go out after seven days.\n" for letter in "dcba"}
    corpus, _ = load_corpus(write_tree(twins))
    links = compute_links(corpus)
    assert paths(links["faq/billing/twin-d.md"].articles) == ["faq/billing/twin-a.md", "faq/billing/twin-b.md", "faq/billing/twin-c.md"]


def test_scores_are_symmetric(corpus):
    documents = sorted(corpus.documents(), key=lambda page: page.path)
    model = RelatednessModel().fit(documents)
    matrix = model.scores(slice(None))
    assert (abs(matrix - matrix.T) < 1e-5).all()


class FixedScores:
    """A stand-in model with given scores, to test how links are chosen from them."""

    signals_ = ("lexical",)

    def __init__(self, matrix: list[list[float]]) -> None:
        self.matrix = np.array(matrix)

    def fit(self, documents):
        return self

    def scores(self, rows):
        return self.matrix[rows].copy()


def test_a_page_listed_first_by_another_is_listed_back_past_its_own_best(write_tree, monkeypatch):
    corpus, _ = load_corpus(write_tree({f"faq/billing/a{number}.md": f"---\ntitle: Page {number}\n---\nText.\n" for number in range(1, 5)}))
    # a1 relates only (weakly) to a2; a2's own best are a3 and a4; a4's best is a3.
    scores = [
        [1.0, 0.5, 0.0, 0.0],
        [0.5, 1.0, 0.9, 0.8],
        [0.0, 0.9, 1.0, 0.85],
        [0.0, 0.8, 0.85, 1.0],
    ]
    monkeypatch.setattr("kbgen.link.live.ranking_model", lambda settings, cache_dir=None: FixedScores(scores))
    links = compute_links(corpus, max_articles=2, reciprocal_rank=1)
    assert paths(links["faq/billing/a1.md"].articles) == ["faq/billing/a2.md"]
    # a1 is listed back after a2's own two best, which it does not push out
    assert paths(links["faq/billing/a2.md"].articles) == ["faq/billing/a3.md", "faq/billing/a4.md", "faq/billing/a1.md"]
    without = compute_links(corpus, max_articles=2, reciprocal_rank=0)
    assert paths(without["faq/billing/a2.md"].articles) == ["faq/billing/a3.md", "faq/billing/a4.md"]


def test_every_link_in_the_top_two_is_returned_when_there_is_room(corpus):
    links = compute_links(corpus, threshold=0.0)
    for path, related in links.items():
        kind = "articles" if path.startswith("faq/") else "threads"
        for link in (*related.articles[:2], *related.threads[:2]):
            assert path in paths(getattr(links[link.path], kind)), (path, link.path)


def test_pinned_page_comes_first_even_below_threshold(corpus, write_tree):
    page = Path(corpus.root) / "faq/account/export-your-data.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "related: [community/account/dark-mode.md]\ntitle:"), encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    links = compute_links(corpus)
    assert paths(links["faq/account/export-your-data.md"].threads) == ["community/account/dark-mode.md"]
    # The pin makes the link two-way.
    assert paths(links["community/account/dark-mode.md"].articles) == ["faq/account/export-your-data.md"]


def test_unrelated_suppresses_the_link_both_ways(corpus):
    page = Path(corpus.root) / "faq/billing/request-a-refund.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "unrelated: [community/billing/charged-twice-for-one-month.md]\ntitle:"), encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    links = compute_links(corpus)
    assert "community/billing/charged-twice-for-one-month.md" not in paths(links["faq/billing/request-a-refund.md"].threads)
    assert "faq/billing/request-a-refund.md" not in paths(links["community/billing/charged-twice-for-one-month.md"].articles)


def test_drafts_are_never_linked_to(corpus):
    page = Path(corpus.root) / "faq/account/reset-your-password.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "status: draft\ntitle:"), encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    links = compute_links(corpus)
    assert all("faq/account/reset-your-password.md" not in paths(related.articles) for related in links.values())
    assert "faq/account/reset-your-password.md" in links  # the draft itself still gets its related pages
    assert "faq/account/reset-your-password.md" in paths(compute_links(corpus, include_drafts=True)["community/account/reset-email-never-arrives.md"].articles)


def test_forum_links_of_imported_threads_are_kept(write_tree):
    threads = {
        "community/account/first.md": "---\ntitle: Export data\nauthor: a\ndate: 2026-01-01\nsource: https://forum.example/t/1\nlinks: {related: [https://forum.example/t/2]}\n---\nHow do I export my data?\n",
        "community/account/second.md": "---\ntitle: Dark theme\nauthor: b\ndate: 2026-01-02\nsource: https://forum.example/t/2\n---\nPlease add a dark colour scheme.\n",
    }
    corpus, problems = load_corpus(write_tree(threads))
    assert not [problem for problem in problems if problem.is_error]
    links = compute_links(corpus)
    assert paths(links["community/account/first.md"].threads) == ["community/account/second.md"]
    assert paths(links["community/account/second.md"].threads) == ["community/account/first.md"]


def test_unchanged_corpus_reuses_the_cached_links(corpus, tmp_path, monkeypatch):
    first = compute_links(corpus, tmp_path / "cache")

    def no_model(*arguments, **options):
        raise AssertionError("the model must not be fitted again")

    monkeypatch.setattr("kbgen.link.live.ranking_model", no_model)
    assert compute_links(corpus, tmp_path / "cache") == first
    with pytest.raises(AssertionError):
        compute_links(corpus, tmp_path / "cache", max_articles=1)  # other settings: computed again


def test_a_changed_page_invalidates_the_cached_links(corpus, tmp_path):
    before = compute_links(corpus, tmp_path / "cache")
    page = Path(corpus.root) / "community/account/dark-mode.md"
    page.write_text(page.read_text(encoding="utf-8").replace("dark colour scheme?", "dark colour scheme? Also, how do I reset my password?"), encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    after = compute_links(corpus, tmp_path / "cache")
    assert after == compute_links(corpus) and after != before
    (tmp_path / "cache" / "related-links.json").write_text("{not json", encoding="utf-8")
    assert compute_links(corpus, tmp_path / "cache") == compute_links(corpus)


def test_empty_corpus_has_no_links(tmp_path):
    assert compute_links(Corpus(root=tmp_path)) == {}


DUPLICATE = """
    ---
    title: How do I get a refund for my subscription?
    questions: [Can I get my money back?, Refund for a charge twice this month]
    ---
    Open Billing history, find the charge and click Request refund.
"""


def test_likely_duplicate_article_is_warned_at_its_title_line(corpus):
    (Path(corpus.root) / "faq/billing/get-your-money-back.md").write_text(DUPLICATE.replace("\n    ", "\n").lstrip(), encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    warnings = likely_duplicates(corpus)
    assert len(warnings) == 1
    warning = warnings[0]
    assert (warning.path, warning.line, warning.severity) == ("faq/billing/request-a-refund.md", 2, "warning")
    assert "faq/billing/get-your-money-back.md" in warning.message and "unrelated:" in warning.hint


def test_duplicate_warning_goes_on_the_draft(corpus):
    draft = DUPLICATE.replace("title:", "status: draft\n    title:").replace("\n    ", "\n").lstrip()
    (Path(corpus.root) / "faq/billing/get-your-money-back.md").write_text(draft, encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    warnings = likely_duplicates(corpus)
    assert [(warning.path, warning.line) for warning in warnings] == [("faq/billing/get-your-money-back.md", 3)]


def test_distinct_articles_and_marked_pairs_are_not_duplicates(corpus):
    assert likely_duplicates(corpus) == []
    text = DUPLICATE.replace("title:", "unrelated: [faq/billing/request-a-refund.md]\n    title:").replace("\n    ", "\n").lstrip()
    (Path(corpus.root) / "faq/billing/get-your-money-back.md").write_text(text, encoding="utf-8")
    corpus, _ = load_corpus(corpus.root)
    assert likely_duplicates(corpus) == []


def test_links_scored_with_embeddings_use_the_semantic_threshold(write_tree, monkeypatch):
    corpus, _ = load_corpus(write_tree({f"faq/billing/a{number}.md": f"---\ntitle: Page {number}\n---\nText.\n" for number in range(1, 4)}))
    scores = [[1.0, 0.25, 0.1], [0.25, 1.0, 0.1], [0.1, 0.1, 1.0]]
    semantic = FixedScores(scores)
    semantic.signals_ = ("lexical", "semantic")
    monkeypatch.setattr("kbgen.link.live.ranking_model", lambda settings, cache_dir=None: semantic)
    # 0.25 is below the lexical threshold (0.27) but above the semantic one (0.23).
    assert paths(compute_links(corpus)["faq/billing/a1.md"].articles) == ["faq/billing/a2.md"]
    assert paths(compute_links(corpus, semantic_threshold=0.3)["faq/billing/a1.md"].articles) == []
    monkeypatch.setattr("kbgen.link.live.ranking_model", lambda settings, cache_dir=None: FixedScores(scores))
    assert paths(compute_links(corpus)["faq/billing/a1.md"].articles) == []
