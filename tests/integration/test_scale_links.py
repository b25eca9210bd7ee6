"""Related links while serving: an edit rescores only the pages it touches, and the links stay those a full choice gives."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kbgen.link import LiveLinks, compute_links
from kbgen.load import load_corpus
from kbgen.model import Article, Corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from bench.sitegen import generate_site  # noqa: E402 - the benchmark's realistic generated help center


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    """400 pages: enough texts for the topic model, so an update also places pages in the learnt topics."""
    root = generate_site(tmp_path_factory.mktemp("links") / "site", 400, categories=5)
    loaded, problems = load_corpus(root / "content")
    assert not [problem for problem in problems if problem.is_error]
    return loaded


def linked(related) -> list[str]:
    return [link.path for link in (*related.articles, *related.threads)]


def with_article(corpus: Corpus, article: Article) -> Corpus:
    others = tuple(other for other in corpus.articles if other.path != article.path)
    return replace(corpus, articles=tuple(sorted((*others, article), key=lambda item: item.path)))


def assert_choices_are_complete(live: LiveLinks) -> None:
    """The pages chosen again are all that needed it: every page's links are what choosing all of them gives."""
    expected = {path: live.context.choose(document, live.candidates) for path, document in live.context.by_path.items()}
    assert live.links == expected


def test_an_edit_linking_two_pages_shows_on_both_and_nothing_else_goes_stale(corpus):
    live = LiveLinks(corpus)
    source, target = corpus.articles[3], corpus.articles[40]
    assert target.path not in linked(live.links[source.path])
    edited = replace(source, body=source.body + "\n" + (f"{target.title} {' '.join(target.questions)} {target.summary}\n" * 6))
    links = live.update(with_article(corpus, edited))
    assert target.path in linked(links[source.path])
    assert source.path in linked(links[target.path]), "a strong link is two-way"
    assert_choices_are_complete(live)


def test_an_updated_page_gets_nearly_the_links_a_new_fit_gives(corpus):
    live = LiveLinks(corpus)
    article = corpus.articles[11]
    edited_corpus = with_article(corpus, replace(article, body=article.body + "\nRefunds for a cancelled subscription arrive within five days.\n"))
    updated = live.update(edited_corpus)[article.path]
    fresh = compute_links(edited_corpus)[article.path]
    overlap = set(linked(updated)) & set(linked(fresh))
    assert len(overlap) >= 0.8 * len(linked(fresh))


def test_removed_and_added_pages_leave_and_join_the_links(corpus):
    live = LiveLinks(corpus)
    listed = {path for related in live.links.values() for path in linked(related)}
    gone = next(thread for thread in corpus.threads if thread.path in listed)  # a thread that is someone's related page
    newcomer = replace(corpus.articles[20], path="faq/topic-00/article-new.md", slug="article-new", title=corpus.articles[20].title + " again")
    changed = replace(with_article(corpus, newcomer), threads=tuple(thread for thread in corpus.threads if thread.path != gone.path))
    links = live.update(changed)
    assert gone.path not in links
    assert all(gone.path not in linked(related) for related in links.values())
    assert corpus.articles[20].path in linked(links[newcomer.path])
    assert_choices_are_complete(live)


def test_an_update_with_nothing_changed_returns_the_same_links(corpus):
    live = LiveLinks(corpus)
    before = live.links
    assert live.update(corpus) is before
