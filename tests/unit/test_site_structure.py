"""The help center's shape: pagination, listing order, drafts, tags, breadcrumbs and prev/next."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbgen.model import Article, Category, Comment, Corpus, Post, Thread
from kbgen.site.structure.help_center import build_help_center, last_activity, tag_slug
from kbgen.site.structure.listing import listing_uri, paginate


def article(slug: str, category: str = "billing", *, asked: int = 0, status: str = "published", tags: tuple[str, ...] = ()) -> Article:
    return Article(path=f"faq/{category}/{slug}.md", category=category, slug=slug, title=slug.replace("-", " ").capitalize(),
                   body="Answer.", body_line=1, tags=tags, asked=asked, status=status, updated="2026-01-02")


def thread(slug: str, category: str = "billing", *, votes: int = 0, date: str = "2026-01-01", answers: tuple[Post, ...] = (),
           solved: bool = False, tags: tuple[str, ...] = ()) -> Thread:
    return Thread(path=f"community/{category}/{slug}.md", category=category, slug=slug, title=slug.capitalize(), body="Question?",
                  body_line=1, tags=tags, author="asker", date=date, votes=votes, solved=solved, answers=answers)


def corpus(*documents) -> Corpus:
    categories = {slug: Category(slug, title) for slug, title in (("billing", "Plans & billing"), ("account", "Account"))}
    return Corpus(root=Path("."), categories=categories,
                  articles=tuple(item for item in documents if isinstance(item, Article)),
                  threads=tuple(item for item in documents if isinstance(item, Thread)))


def test_listing_uri_puts_later_pages_under_page_folders():
    assert listing_uri("faq/billing") == "faq/billing/index.md"
    assert listing_uri("faq/billing", 3) == "faq/billing/page/3/index.md"
    assert listing_uri("") == "index.md"


def test_paginate_splits_entries_and_keeps_an_empty_first_page():
    pages = paginate("tags", list(range(7)), 3)
    assert [page.entries for page in pages] == [(0, 1, 2), (3, 4, 5), (6,)]
    assert [(page.number, page.page_count, page.offset, page.entry_count) for page in pages] == [(1, 3, 0, 7), (2, 3, 3, 7), (3, 3, 6, 7)]
    assert [page.src_uri for page in pages] == ["tags/index.md", "tags/page/2/index.md", "tags/page/3/index.md"]
    empty = paginate("community/solved", [], 50)
    assert len(empty) == 1 and empty[0].entries == () and empty[0].src_uri == "community/solved/index.md"
    with pytest.raises(ValueError):
        paginate("x", [1], 0)


def test_category_lists_articles_by_popularity_then_threads_by_votes():
    center = build_help_center(corpus(
        article("rare", asked=3), article("popular", asked=90), article("other-category", "account", asked=500),
        thread("quiet", votes=1), thread("loud", votes=9),
    ))
    billing = center.category("billing")
    assert [item.slug for item in billing.articles] == ["popular", "rare"]
    assert [item.slug for item in billing.threads] == ["loud", "quiet"]
    assert [item.slug for item in billing.pages[0].entries] == ["popular", "rare", "loud", "quiet"]
    assert [item.slug for item in center.top_questions] == ["other-category", "popular", "rare"]


def test_drafts_are_left_out_unless_shown_and_never_top_questions():
    documents = corpus(article("ready", asked=1), article("unfinished", asked=999, status="draft"))
    assert [item.slug for item in build_help_center(documents).category("billing").articles] == ["ready"]
    shown = build_help_center(documents, show_drafts=True)
    assert [item.slug for item in shown.category("billing").articles] == ["unfinished", "ready"]
    assert [item.slug for item in shown.top_questions] == ["ready"]


def test_long_listings_paginate_and_chain_their_pages():
    center = build_help_center(corpus(*(article(f"a{number:02}", asked=number) for number in range(7))), per_page=3)
    pages = center.category("billing").pages
    assert [page.src_uri for page in pages] == ["faq/billing/index.md", "faq/billing/page/2/index.md", "faq/billing/page/3/index.md"]
    assert center.pages["faq/billing/page/2/index.md"].kind == "category"
    assert center.neighbours["faq/billing/page/2/index.md"].previous == "faq/billing/index.md"
    assert center.neighbours["faq/billing/page/2/index.md"].next == "faq/billing/page/3/index.md"


def test_prev_next_walk_a_category_articles_first_and_stop_at_its_ends():
    center = build_help_center(corpus(article("first", asked=2), article("second", asked=1), thread("third"), article("elsewhere", "account")))
    assert center.neighbours["faq/billing/first.md"].previous is None
    assert center.neighbours["faq/billing/first.md"].next == "faq/billing/second.md"
    assert center.neighbours["faq/billing/second.md"].next == "community/billing/third.md"
    assert center.neighbours["community/billing/third.md"].next is None
    assert center.neighbours["faq/account/elsewhere.md"].previous is None


def test_breadcrumbs_go_home_then_category_then_page():
    document = article("change-plan")
    trail = build_help_center(corpus(document)).trail(document)
    assert [(crumb.title, crumb.src_uri) for crumb in trail] == [
        ("Home", "index.md"), ("Plans & billing", "faq/billing/index.md"), ("Change plan", "faq/billing/change-plan.md"),
    ]


def test_tags_that_slugify_alike_share_a_page():
    center = build_help_center(corpus(article("one", tags=("sign in",)), thread("two", tags=("Sign-In", "vat"))))
    assert [(tag.slug, tag.count) for tag in center.tags] == [("sign-in", 2), ("vat", 1)]
    assert center.tag_uri("sign in") == center.tag_uri("Sign-In") == "tags/sign-in/index.md"
    assert "tags/sign-in/index.md" in center.pages and center.pages["tags/index.md"].kind == "tags"
    assert tag_slug("Ünïcode & more") == "ünïcode-more"


def test_community_filters_sort_by_latest_activity():
    answered = Post(author="helper", date="2026-03-05", body="Try this.", accepted=True, comments=(Comment("asker", "2026-04-01", "Thanks"),))
    center = build_help_center(corpus(
        thread("old-but-active", date="2025-01-01", answers=(answered,), solved=True),
        thread("new-unanswered", date="2026-02-01"),
    ))
    recent, unanswered, solved = center.community
    assert [item.slug for item in recent.threads] == ["old-but-active", "new-unanswered"]
    assert [item.slug for item in unanswered.threads] == ["new-unanswered"]
    assert [item.slug for item in solved.threads] == ["old-but-active"]
    assert last_activity(recent.threads[0]) == "2026-04-01"
    assert [recent.src_uri, unanswered.src_uri, solved.src_uri] == ["community/index.md", "community/unanswered/index.md", "community/solved/index.md"]


def test_every_generated_page_has_a_date_of_what_it_lists():
    center = build_help_center(corpus(article("dated"), thread("asked", date="2026-05-06")))
    assert center.pages["index.md"].updated == "2026-05-06"
    assert center.pages["faq/billing/index.md"].updated == "2026-05-06"
    assert center.pages["faq/account/index.md"].updated == ""
