"""The site search finds every published demo article by a question variant, as a customer types it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kbgen.load import load_corpus

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
# How customers put it in their own words, and the article that answers it.
PARAPHRASES = {
    "forgot password": "faq/account/reset-your-password/",
    "reconnect xero": "faq/integrations/fix-xero-sync-errors/",
    "logo on my invoices": "faq/invoices/customise-invoice-branding/",
    "stripe payout late": "faq/payments/stripe-payout-delayed/",
    "bank feed stopped working": "faq/expenses/bank-feed-disconnected/",
}


def variant_per_article() -> list[tuple[str, str]]:
    """(question variant, article URL): one variant of every published article (quotes are search syntax, so skipped)."""
    corpus, _ = load_corpus(REPO_ROOT / "content")
    cases = []
    for article in corpus.published_articles:
        variants = [question for question in article.questions if '"' not in question] or [article.title]
        cases.append((variants[len(cases) % len(variants)], article.url))
    return cases


def search_and_open_first(page, query: str) -> str:
    """Type ``query`` into the header search, wait for its results, open the first; returns the page path opened.

    Enter alone opens the search results page (test_feedback_loop.py); Down, then Enter, opens the first hit.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("Backspace")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    first = page.locator(".md-search-result__item a.md-search-result__link").first.get_attribute("href")
    box.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    opened = urlsplit(page.url).path
    assert opened == urlsplit(first).path, "Down, Enter opens the first result"
    return opened


def test_every_article_is_found_by_one_of_its_variants(page, demo_url):
    page.goto(demo_url)
    misses = []
    for question, url in variant_per_article():
        opened = search_and_open_first(page, question)
        if opened != "/" + url:
            misses.append((question, url, opened))
    assert misses == []
    assert page.locator("h1#kb-title").is_visible()


def test_close_paraphrases_find_their_article(page, demo_url):
    page.goto(demo_url)
    opened = {query: search_and_open_first(page, query) for query in PARAPHRASES}
    assert opened == {query: "/" + url for query, url in PARAPHRASES.items()}


def test_home_search_box_opens_the_site_search_with_the_query(page, demo_url):
    page.goto(demo_url)
    page.locator("#kb-hero-query").type("reset my password")
    query = page.locator("input.md-search__input")
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    assert query.input_value() == "reset my password"
    assert page.locator("#__search").is_checked()
    assert "reset-your-password" in page.locator(".md-search-result__item a").first.get_attribute("href")


def test_home_search_form_works_without_javascript(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url)
    page.locator("#kb-hero-query").fill("refund")
    with page.expect_navigation():
        page.locator(".kb-hero__button").click()
    assert urlsplit(page.url).query == "q=refund", "Material's search opens ?q= once scripts run"
    context.close()
