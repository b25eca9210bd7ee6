"""The loader: records built from real demo content and from small trees."""

from __future__ import annotations

from kbgen.frontmatter import read_front_matter
from kbgen.load import load_corpus


def test_loader_reads_the_demo_help_center(repo_root):
    corpus, problems = load_corpus(repo_root / "content")
    assert [problem for problem in problems if problem.is_error] == []
    assert len(corpus.articles) >= 40
    assert len(corpus.threads) >= 20
    assert len({article.category for article in corpus.articles}) >= 6
    assert all(len(article.questions) >= 2 and article.tags for article in corpus.articles)
    assert any(thread.solved for thread in corpus.threads) and any(not thread.solved for thread in corpus.threads)
    assert list(corpus.categories)[:2] == ["getting-started", "account"]


def test_loader_builds_thread_with_answers_best_first(write_tree):
    root = write_tree(
        {
            "community/billing/charged-twice.md": """\
            ---
            title: Charged twice
            author: dana
            date: 2026-03-14
            votes: 3
            solved: true
            answers:
              - author: tom
                date: 2026-03-14
                votes: 9
                body: Contact your bank.
              - author: support
                date: 2026-03-15
                votes: 2
                accepted: true
                body: |
                  We refunded the second charge.

                  It shows in 5 days.
                comments:
                  - author: dana
                    date: 2026-03-16
                    body: Thanks!
            ---
            I was charged twice.
            """
        }
    )
    corpus, problems = load_corpus(root)
    assert problems == []
    (thread,) = corpus.threads
    assert (thread.category, thread.slug, thread.url) == ("billing", "charged-twice", "community/billing/charged-twice/")
    assert [answer.author for answer in thread.answers_best_first] == ["support", "tom"]
    assert thread.accepted_answer.body == "We refunded the second charge.\n\nIt shows in 5 days.\n"
    assert thread.accepted_answer.comments[0].body == "Thanks!"
    assert thread.body == "I was charged twice.\n"
    assert thread.body_line == 25


def test_loader_keeps_dates_as_written(write_tree):
    root = write_tree({"faq/billing/a.md": "---\ntitle: A\nupdated: 2026-03-01\n---\nBody\n"})
    corpus, _ = load_corpus(root)
    assert corpus.articles[0].updated == "2026-03-01"
    assert corpus.articles[0].question_variants == ("A",)


def test_front_matter_locations_are_absolute_lines():
    front_matter = read_front_matter("---\ntitle: A\nquestions:\n  - one\n  - two\n---\nBody\n", "x.md")
    assert front_matter.location("title") == (2, 1)
    assert front_matter.location("questions", 1) == (5, 5)
    assert front_matter.location("missing") == (1, 1)
    assert front_matter.body_line == 7


def test_plain_pages_are_loaded_for_link_checking(write_tree):
    root = write_tree({"about.md": "# About us\n\nSee [x](faq/billing/x.md).\n"})
    corpus, _ = load_corpus(root)
    assert corpus.pages[0].title == "About us"
