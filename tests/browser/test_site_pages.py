"""Every page type in Chromium: thread order, breadcrumbs, phone width and dark mode, screenshots and axe-core.

Screenshots land in tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "category": "faq/account/",
    "article": "faq/account/reset-your-password/",
    "thread": "community/payments/stripe-payout-not-arrived-after-7-days/",
    "community": "community/",
    "tag": "tags/password/",
}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = [(name, "light") for name in ("home", "category", "article", "thread", "community")] + [(name, "dark") for name in ("home", "article", "thread")]


def test_thread_shows_the_accepted_answer_first_and_marked(page, demo_url):
    page.goto(demo_url + PAGES["thread"])
    answers = page.locator("section.kb-answer")
    assert answers.count() == 3
    first = answers.nth(0)
    assert "kb-answer--accepted" in first.get_attribute("class")
    assert first.locator(".kb-badge--accepted").inner_text() == "✓ Accepted answer"
    assert "priya (Brightbill support)" in first.locator(".kb-post__meta").inner_text()
    assert first.bounding_box()["y"] < answers.nth(1).bounding_box()["y"]
    assert page.locator(".kb-summary").is_visible() and page.locator(".kb-badge--solved").first.is_visible()
    page.locator(".kb-summary__jump").click()
    assert page.url.endswith("#answer-1")


def test_breadcrumbs_and_prev_next_lead_through_a_category(page, demo_url):
    page.goto(demo_url + PAGES["article"])
    crumbs = page.locator(".kb-breadcrumbs li")
    assert crumbs.all_inner_texts() == ["Home", "Account & sign-in", "Reset your password"]
    page.locator(".md-footer__link--next").click()
    assert page.locator(".kb-breadcrumbs li").nth(1).inner_text() == "Account & sign-in"
    crumbs.nth(1).locator("a").click()
    assert page.locator("h1").inner_text() == "Account & sign-in"
    assert page.locator(".md-nav__link--active, .md-nav__item--active > a").first.inner_text().strip() == "Account & sign-in"


@pytest.mark.parametrize(("name", "scheme"), SCREENSHOTS)
def test_desktop_screenshots_in_light_and_dark(browser, demo_url, screenshot_path, name, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, reduced_motion="reduce")
    page = context.new_page()
    page.goto(demo_url + PAGES[name])
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    page.screenshot(path=str(screenshot_path(f"{name}-desktop-{scheme}")), full_page=True)
    context.close()


def test_phone_width_has_no_horizontal_scroll(browser, demo_url, screenshot_path):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, reduced_motion="reduce")
    page = context.new_page()
    overflowing = {}
    for name, url in PAGES.items():
        page.goto(demo_url + url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            overflowing[name] = overflow
        if name in ("home", "article", "thread", "community"):
            page.screenshot(path=str(screenshot_path(f"{name}-phone")), full_page=True)
    context.close()
    assert overflowing == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(browser, demo_url, axe_source, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name, url in PAGES.items():
        page.goto(demo_url + url)
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )
        if violations:
            found[name] = violations
    context.close()
    assert found == {}
