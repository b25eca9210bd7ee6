"""Related links in Chromium: they appear on article and thread pages, lead somewhere real, both ways."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "faq/account/reset-your-password/"


def test_related_discussion_opens_and_links_back_to_the_article(page, demo_url):
    page.goto(demo_url + ARTICLE)
    discussions = page.locator("#kb-related-threads + ul.kb-related__list a")
    assert discussions.count() >= 1
    title = discussions.first.inner_text()
    discussions.first.click()
    page.wait_for_load_state()
    assert "/community/" in page.url
    assert page.locator("h1").first.inner_text() == title
    back_links = page.locator("#kb-related-articles + ul.kb-related__list a")
    assert "Reset your password" in back_links.all_inner_texts()
    back_links.filter(has_text="Reset your password").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(ARTICLE)


def test_every_related_link_on_an_article_resolves(page, demo_url):
    page.goto(demo_url + ARTICLE)
    hrefs = page.locator(".kb-related a").evaluate_all("links => links.map(link => link.href)")
    assert hrefs
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
