"""Generated sites: listings paginate, every page's HTML stays the same size as the site grows, drafts on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbgen.build import build_site

CATEGORIES = "billing:\n  title: Plans & billing\n  icon: material/credit-card-outline\naccount:\n  title: Account & sign-in\n"


def write_site(root: Path, articles: int, threads: int = 0, *, plugin: str = "  - kbgen") -> Path:
    content = root / "content"
    (content / "faq/billing").mkdir(parents=True)
    (content / "community/billing").mkdir(parents=True)
    (content / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    for number in range(articles):
        status = "draft" if number == 0 else "published"
        (content / f"faq/billing/article-{number:04}.md").write_text(
            f"---\ntitle: How to do billing task {number}\nquestions: [Can I do task {number}?]\ntags: [billing, tag-{number % 7}]\n"
            f"asked: {number}\nstatus: {status}\nupdated: 2026-01-{1 + number % 28:02}\nsummary: Do task {number} in Settings.\n---\n"
            f"Open **Settings** and do task {number}. " * 20 + "\n",
            encoding="utf-8",
        )
    for number in range(threads):
        (content / f"community/billing/thread-{number:04}.md").write_text(
            f"---\ntitle: Problem number {number}\nauthor: user{number}\ndate: 2026-02-{1 + number % 28:02}\nvotes: {number}\n"
            f"solved: true\nanswers:\n  - author: helper\n    date: 2026-03-01\n    accepted: true\n    body: Try the fix.\n---\nIt breaks.\n",
            encoding="utf-8",
        )
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Scale test\nsite_url: https://help.example.com/\ndocs_dir: content\n"
        f"theme:\n  name: material\n  font: false\n  features: [navigation.tabs]\nplugins:\n  - search\n{plugin}\n",
        encoding="utf-8",
    )
    return config


def html_sizes(site: Path, pattern: str) -> list[int]:
    return [path.stat().st_size for path in site.glob(pattern)]


@pytest.fixture(scope="module")
def paginated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("paginated")
    return build_site(write_site(root, articles=8, threads=3, plugin="  - kbgen:\n      per_page: 3\n      related: false"), site_dir=root / "site")


def test_category_listing_paginates_and_every_entry_appears_once(paginated):
    pages = sorted(paginated.glob("faq/billing/**/index.html"))
    listing = [path for path in pages if path.parent.name in ("billing",) or path.parent.parent.name == "page"]
    assert [path.relative_to(paginated).as_posix() for path in listing] == [
        "faq/billing/index.html", "faq/billing/page/2/index.html", "faq/billing/page/3/index.html", "faq/billing/page/4/index.html",
    ]
    listed = []
    for path in listing:
        html = path.read_text(encoding="utf-8")
        listed += re.findall(r'class="kb-entry__title">([^<]+)</a>', html)
    assert len(listed) == 7 + 3 == len(set(listed)), "published articles and threads, each once"
    assert listed[0] == "How to do billing task 7" and listed[-1] == "Problem number 0"
    second = (paginated / "faq/billing/page/2/index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' in second and 'rel="next"' in second and "Showing 4–6 of 10" in second
    assert '<link rel="prev" href="../../">' in second and '<link rel="next" href="../3/">' in second


def test_tag_and_community_listings_paginate_too(paginated):
    assert (paginated / "tags/billing/page/3/index.html").is_file()
    assert (paginated / "community/solved/index.html").is_file()
    assert "Showing 1–3 of 7" in (paginated / "tags/billing/index.html").read_text(encoding="utf-8")


def test_drafts_appear_only_when_asked_for(paginated, tmp_path):
    assert not (paginated / "faq/billing/article-0000").exists()
    assert "7 articles" in (paginated / "faq/billing/index.html").read_text(encoding="utf-8")
    config = write_site(tmp_path, articles=2)
    site = build_site(config, site_dir=tmp_path / "with-drafts", drafts=True)
    article = (site / "faq/billing/article-0000/index.html").read_text(encoding="utf-8")
    assert "Draft: not published yet" in article
    listing = (site / "faq/billing/index.html").read_text(encoding="utf-8")
    assert "kb-badge--draft" in listing and "2 articles" in listing
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "article-0000" not in home.split('class="kb-top-questions"')[1].split("</ol>")[0], "top questions stay published only"


def test_page_html_does_not_grow_with_the_number_of_pages(tmp_path):
    small = build_site(write_site(tmp_path / "small", articles=30, threads=10), site_dir=tmp_path / "small-site")
    large = build_site(write_site(tmp_path / "large", articles=240, threads=80), site_dir=tmp_path / "large-site")
    small_article, large_article = max(html_sizes(small, "faq/billing/article-*/index.html")), max(html_sizes(large, "faq/billing/article-*/index.html"))
    assert abs(large_article - small_article) < 2_000, (small_article, large_article)
    assert max(html_sizes(large, "**/index.html")) < 60_000
    nav = (large / "faq/billing/article-0100/index.html").read_text(encoding="utf-8").count("md-nav__link")
    assert nav == (small / "faq/billing/article-0010/index.html").read_text(encoding="utf-8").count("md-nav__link")
    assert (large / "faq/billing/page/7/index.html").is_file() and not (large / "faq/billing/page/8/index.html").exists()


def test_a_page_written_in_content_wins_over_a_generated_one(tmp_path, caplog):
    config = write_site(tmp_path, articles=2)
    (tmp_path / "content/tags").mkdir()
    (tmp_path / "content/tags/index.md").write_text("# Topics\n\nHand-written index.\n", encoding="utf-8")
    site = build_site(config, site_dir=tmp_path / "site")
    assert "Hand-written index." in (site / "tags/index.html").read_text(encoding="utf-8")
    assert any("tags/index.md exists in the content" in record.getMessage() for record in caplog.records)
