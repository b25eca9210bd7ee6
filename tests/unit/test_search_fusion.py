"""``kbgen search`` fuses BM25F with the related-links lexical cosine (and embeddings, half and half)."""

from __future__ import annotations

import numpy as np

from kbgen.index import open_index
from kbgen.model import Corpus, Post, Thread
from kbgen.rank import PageSearch, fuse_ranks


def _thread(slug: str, title: str, body: str, answers: tuple[str, ...] = ()) -> Thread:
    return Thread(
        path=f"community/billing/{slug}.md", category="billing", slug=slug, title=title, body=body, body_line=1,
        author="sam", date="2026-10-11", answers=tuple(Post(author="ana", date="2026-10-12", body=text) for text in answers),
    )


QUESTION = "How do I refund the second payment when my card shows two payments for one invoice this month after the upgrade?"
THREADS = (
    _thread("double-charge", "Charged twice", "My card shows two payments for one invoice.", ("Refund the second payment from Billing history.",)),
    _thread("export", "Export a report", "Reports export to CSV from the dashboard."),
    _thread("invoice-address", "Invoice address", "Change the address printed on an invoice.", ("Edit it under Billing settings.",)),
)


class _FixedEncoder:
    """Embeds every text on one axis per known word: enough to rank without a model."""

    name = "fixed"
    words = ("refund", "report", "address")

    def encode(self, texts):
        vectors = np.array([[float(word in text.lower()) for word in self.words] + [0.1] for text in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_ranks_by_bm25f_and_the_lexical_cosine_of_related_links(tmp_path):
    corpus = Corpus(root=tmp_path, threads=THREADS)
    with open_index(corpus) as index:
        search = PageSearch(corpus.threads, index)
        ranked = search.rank(QUESTION)
        lexical = search.lexical.text_vectors([QUESTION]) @ search.lexical.lexical_.T
    assert ranked[0].path == "community/billing/double-charge.md"
    assert set(ranked[0].ranks) == {"bm25f", "lexical"}
    # The lexical ranking is the query's cosine with each page's related-links vector.
    assert abs(ranked[0].scores["lexical"] - round(float(lexical.toarray()[0].max()), 4)) < 1e-4
    # A page sharing no word with the query is not in the lexical ranking.
    assert all("lexical" not in page.ranks for page in ranked if page.path == "community/billing/export.md")


def test_with_embeddings_the_word_rankings_share_half_of_the_fusion(tmp_path):
    corpus = Corpus(root=tmp_path, threads=THREADS)
    with open_index(corpus) as index:
        ranked = PageSearch(corpus.threads, index, _FixedEncoder()).rank(QUESTION)
    top = ranked[0]
    assert top.path == "community/billing/double-charge.md" and set(top.ranks) == {"bm25f", "lexical", "semantic"}
    expected = sum(share / (60 + top.ranks[name]) for name, share in (("bm25f", 0.5), ("lexical", 0.5), ("semantic", 1.0)))
    assert abs(top.score - expected) < 1e-6


def test_fusion_shares_scale_each_signal():
    fused = {page.path: page.score for page in fuse_ranks({"a": [("x", 1.0)], "b": [("y", 1.0)]}, shares={"a": 0.5})}
    assert abs(fused["x"] - 0.5 / 61) < 1e-6 and abs(fused["y"] - 1 / 61) < 1e-6


def test_a_few_keywords_are_ranked_by_bm25f_alone(tmp_path):
    corpus = Corpus(root=tmp_path, threads=THREADS)
    with open_index(corpus) as index:
        ranked = PageSearch(corpus.threads, index).rank("refund payment")
    assert ranked and all(set(page.ranks) == {"bm25f"} for page in ranked)
