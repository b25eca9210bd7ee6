"""The main flows on the demo built by Zensical (``kbgen build --engine zensical``): home, article, thread, contact, search.

The same flows on the default MkDocs build are in test_site_pages.py, test_thread_pages.py,
test_contact_flow.py and test_site_search.py; here each one runs on Zensical's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("zensical")

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
ARTICLE = "faq/billing/subscription-payment-failed/"
THREAD = "community/invoices/recurring-invoice-not-sent-on-the-1st/"


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]) -> str:
    from kbgen.engines import build_zensical

    return serve_directory(build_zensical(REPO_ROOT / "mkdocs.yml", site_dir=tmp_path_factory.mktemp("zensical") / "site"))


@pytest.fixture
def visit(page):
    """Open a page of the Zensical site; fail the test on any script error or missing file."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    def open_page(url: str):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return page

    yield open_page
    assert problems == []


def test_home_shows_the_hero_search_top_questions_and_topics(visit, zensical_url, screenshot_path):
    page = visit(zensical_url)
    assert page.locator("h1#kb-title").inner_text() == "How can we help?"
    assert page.locator(".kb-top-questions li").count() == 10
    assert page.locator(".kb-card").count() == 8
    assert page.locator(".kb-card__icon svg").count() == 8
    nav = page.locator(".md-tabs__link").all_inner_texts()
    assert [label.strip() for label in nav] == ["Home", "Help topics", "Community", "Tags", "Contact support"]
    page.screenshot(path=screenshot_path("zensical-home"), full_page=True)


def test_article_has_breadcrumbs_answer_related_links_and_its_ending(visit, zensical_url, screenshot_path):
    page = visit(zensical_url + ARTICLE)
    assert page.locator(".kb-breadcrumbs a").all_inner_texts() == ["Home", "Plans & billing"]
    assert page.locator(".kb-answer-body table").count() == 1  # the answer's Markdown, rendered by Zensical
    assert page.locator(".kb-also-asked__list li").count() == 3
    related = page.locator(".kb-related a").first
    related.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(zensical_url + "faq/") and page.locator(".kb-breadcrumbs").count() == 1
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.locator("#kb-still-link").is_visible()
    assert len(page.locator('script[type="application/ld+json"]').all()) == 2
    page.screenshot(path=screenshot_path("zensical-article"), full_page=True)


def test_thread_shows_the_accepted_answer_first_and_jumps_to_it(visit, zensical_url, screenshot_path):
    page = visit(zensical_url + THREAD)
    answers = page.locator(".kb-answer")
    assert answers.count() == 3
    assert "kb-answer--accepted" in (answers.first.get_attribute("class") or "")
    page.locator(".kb-summary__jump").click()
    assert page.url.endswith("#answer-1")
    assert page.locator(".kb-tags a").first.get_attribute("href").startswith("../../../tags/")
    page.screenshot(path=screenshot_path("zensical-thread"), full_page=True)


def test_contact_suggests_answers_while_the_customer_types(visit, zensical_url, screenshot_path):
    page = visit(zensical_url + "contact/")
    page.locator("#kb-problem").fill("my recurring invoice was not sent")
    page.wait_for_selector("#kb-suggestions .kb-suggestion__link")
    titles = page.locator("#kb-suggestions .kb-suggestion__link").all_inner_texts()
    assert "Recurring invoice wasn't sent on the 1st, status still \"Scheduled\"" in titles or any("recurring" in title.lower() for title in titles)
    page.screenshot(path=screenshot_path("zensical-contact"), full_page=True)


def test_search_page_lists_results_from_zensicals_index(visit, zensical_url, screenshot_path):
    page = visit(zensical_url + "search/?q=stripe+payout")
    page.wait_for_selector("#kb-search-page-results .kb-search-result__link")
    links = page.locator("#kb-search-page-results .kb-search-result__link")
    assert links.count() >= 1
    hrefs = [links.nth(index).get_attribute("href") for index in range(min(links.count(), 5))]
    assert any("faq/payments/stripe-payout-delayed/" in href for href in hrefs)
    assert "stripe payout" in page.locator("#kb-search-page-status").inner_text()
    page.screenshot(path=screenshot_path("zensical-search"), full_page=True)


def test_header_search_finds_the_article_in_zensicals_dialog(visit, zensical_url, screenshot_path):
    page = visit(zensical_url)
    page.keyboard.press("Control+k")
    page.keyboard.type("reset password")
    count = page.get_by_text(re.compile(r"^\d+ results?$"))
    count.wait_for(timeout=5000)
    assert int(count.inner_text().split()[0]) >= 2
    assert page.get_by_text("Reset your password", exact=True).count() >= 1
    page.screenshot(path=screenshot_path("zensical-header-search"))
