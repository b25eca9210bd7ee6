"""The one ranking: question variants as first-class text, rank fusion, and the demo's refund page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kbgen.index import open_index
from kbgen.link import compute_links, linked_in_text
from kbgen.load import load_corpus
from kbgen.rank import PageSearch, QuestionUnits, RelatednessModel, fuse_ranks, rank_articles

DEMO = Path(__file__).resolve().parents[2] / "content"
REFUND = "faq/billing/request-a-refund.md"
CHARGED_TWICE = "community/billing/upgrade-mid-cycle-charged-twice.md"
CUSTOMER_REFUND = "faq/payments/refund-a-customer-payment.md"

PAGES = {
    "faq/billing/request-a-refund.md": "---\ntitle: Request a refund\nquestions: [Why was I charged twice?, Can I get my money back?]\n---\n"
    + "Open Billing history and click Request refund. Refunds of yearly plans are paid within 14 days.\n" * 3,
    "faq/billing/change-your-plan.md": "---\ntitle: Change your plan\n---\nUpgrades are charged at once; downgrades apply at renewal. Charged twice? See billing history.\n",
    "faq/billing/invoices.md": "---\ntitle: Download invoices\n---\nEvery payment has an invoice under Billing history.\n",
}


@pytest.fixture(scope="module")
def demo():
    corpus, _ = load_corpus(DEMO)
    return corpus


def test_subscription_refund_links_the_charged_twice_thread_not_the_page_its_text_sends_away(demo):
    related = compute_links(demo)[REFUND]
    assert CHARGED_TWICE in [link.path for link in related.threads]
    # The article's text says it is not about refunding customers and links there: the list does not repeat it.
    assert CUSTOMER_REFUND in linked_in_text(next(page for page in demo.articles if page.path == REFUND))
    assert CUSTOMER_REFUND not in [link.path for link in related.articles]


def test_a_page_whose_question_variant_is_the_query_ranks_first(write_tree):
    corpus, _ = load_corpus(write_tree(PAGES))
    with open_index(corpus) as index:
        search = PageSearch(list(corpus.documents()), index)
        ranked = search.rank("Why was I charged twice?")
    assert ranked[0].path == "faq/billing/request-a-refund.md" and ranked[0].exact
    assert set(ranked[0].ranks) == {"bm25f"}  # a short query is BM25F's
    assert [page.path for page in rank_articles(search, "money back")][:1] == ["faq/billing/request-a-refund.md"]


def test_question_signal_is_the_best_variant_pair_and_symmetric(write_tree):
    corpus, _ = load_corpus(write_tree(PAGES))
    documents = sorted(corpus.documents(), key=lambda page: page.path)
    units = QuestionUnits().fit(documents)
    scores = units.page_scores([0, 1, 2])
    assert (abs(scores - scores.T) < 1e-6).all()
    best = units.text_scores(["charged twice"])[0]
    assert max(range(3), key=lambda number: best[number]) == [page.path for page in documents].index("faq/billing/request-a-refund.md")


def test_page_scores_are_the_mean_of_word_signals_and_stay_in_0_1(demo):
    documents = sorted(demo.documents(), key=lambda page: page.path)
    model = RelatednessModel().fit(documents)
    parts = model.signal_scores(slice(0, 5))
    assert set(parts) == {"lexical", "questions"}  # the demo is too small for topics
    fused = model.scores(slice(0, 5))
    assert (abs(fused - (parts["lexical"] + parts["questions"]) / 2) < 1e-5).all()
    assert fused.min() >= 0.0 and fused.max() <= 1.0


def test_rank_fusion_needs_no_weights_and_breaks_ties_by_path():
    fused = fuse_ranks({"a": [("x", 9.0), ("y", 1.0)], "b": [("y", 0.9), ("x", 0.1)], "c": [("z", 5.0)]})
    assert [page.path for page in fused] == ["x", "y", "z"]
    assert fused[0].ranks == {"a": 1, "b": 2} and fused[0].scores == {"a": 9.0, "b": 0.1}
    assert fuse_ranks({"a": [("x", 1.0)], "b": [("y", 1.0)]}, exact=frozenset({"y"}))[0].path == "y"


def test_a_question_variant_matches_the_whole_text_of_another_page(write_tree):
    pages = dict(PAGES)
    pages["community/billing/double-charge.md"] = (
        "---\ntitle: Upgraded mid-month\nauthor: sam\ndate: 2026-10-11\n---\n"
        "My card was charged twice this month after the upgrade: once for Starter, once for Growth.\n"
    )
    corpus, _ = load_corpus(write_tree(pages))
    documents = sorted(corpus.documents(), key=lambda page: page.path)
    model = RelatednessModel().fit(documents)
    units = model.question_pages_
    scores = units.page_match_scores(np.arange(len(documents)), model.lexical_)
    assert (abs(scores - scores.T) < 1e-6).all() and scores.max() <= 1.0
    refund, thread = (model.position_[path] for path in ("faq/billing/request-a-refund.md", "community/billing/double-charge.md"))
    # The titles share no word; the variant "Why was I charged twice?" meets the thread's story.
    assert units.page_match_scores(np.array([refund]), model.lexical_)[0][thread] > 0.3
    assert model.signal_scores([refund])["questions"][0][thread] > 0


def test_question_to_page_scores_after_an_update_are_those_of_a_fit_in_the_same_words(write_tree):
    corpus, _ = load_corpus(write_tree(PAGES))
    documents = sorted(corpus.documents(), key=lambda page: page.path)
    model = RelatednessModel().fit(documents)
    before = model.question_pages_.page_match_scores(np.arange(3), model.lexical_)
    model.update([documents[0]])  # the same page again: moved to the end, scores unchanged
    order = [model.position_[document.path] for document in documents]
    after = model.question_pages_.page_match_scores(np.array(order), model.lexical_)[:, order]
    assert np.allclose(before, after, atol=1e-6)


class WordEncoder:
    """A stand-in sentence model: a text's vector says which of a few words it holds (unit length)."""

    name = "words"
    WORDS = ("charged", "twice", "refund", "invoice", "upgrade")

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded.extend(texts)
        vectors = np.array([[float(word in text.lower()) for word in self.WORDS] + [0.1] for text in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


THREADS = {
    "community/billing/double-charge.md": "---\ntitle: Charged twice after an upgrade\nauthor: sam\ndate: 2026-10-11\n"
    "answers:\n  - author: ana\n    date: 2026-10-12\n    body: Ask for a refund under Billing history.\n---\nMy card was charged twice this month.\n",
    "community/billing/invoice-copy.md": "---\ntitle: Where is my invoice?\nauthor: li\ndate: 2026-10-12\n---\nI need a copy of last month's invoice.\n",
}


def test_with_a_sentence_model_threads_are_embedded_whole_and_titles_count_once(write_tree):
    corpus, _ = load_corpus(write_tree({**PAGES, **THREADS}))
    documents = sorted(corpus.documents(), key=lambda page: page.path)
    encoder = WordEncoder()
    model = RelatednessModel(encoder=encoder).fit(documents)
    # The thread's answers are part of what the model reads.
    assert next(page for page in documents if page.path in THREADS).answers
    assert any("charged twice this month" in text and "Ask for a refund" in text for text in encoder.encoded)
    assert model.topics_ is None and "topics" not in model.signal_scores([0])
    double, invoice = (model.position_[path] for path in THREADS)
    refund = model.position_["faq/billing/request-a-refund.md"]
    parts = model.signal_scores([double])
    fused = model.scores([double])[0]
    # Two threads: no question variants, so words are the lexical signal alone.
    assert abs(fused[invoice] - round((parts["lexical"][0][invoice] + parts["semantic"][0][invoice]) / 2, 6)) < 1e-5
    # A thread and an article with variants: the question signal counts.
    words = (parts["lexical"][0][refund] + parts["questions"][0][refund]) / 2
    assert abs(fused[refund] - round((words + parts["semantic"][0][refund]) / 2, 6)) < 1e-5
    assert (abs(model.scores(slice(None)) - model.scores(slice(None)).T) < 1e-5).all()
