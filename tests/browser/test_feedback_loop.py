"""The feedback loop in Chromium: the search results page, "Was this helpful?", "Still need help?", and the loop
itself: searches and votes in the built demo go to ``kbgen collect``, and ``kbgen mine`` finds the failed searches.

Two builds of the demo: as it is (no feedback target: nothing may be sent), and with its feedback target at a
``kbgen collect`` started for the module. ``browser``, ``demo_url``, ``serve_directory``, ``axe_source`` and
``screenshot_path`` come from conftest.py; screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "faq/account/reset-your-password/"
THREAD = "community/payments/stripe-payout-not-arrived-after-7-days/"
PHONE = {"width": 390, "height": 844}
# Topics the demo has no answer for: what customers searched in vain, three ways each.
PAYROLL = ("payroll", "payroll employees", "payroll setup")
MILEAGE = ("mileage", "mileage allowance", "track mileage")


@dataclass
class Collector:
    url: str
    events: Path
    process: subprocess.Popen

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.events.read_text(encoding="utf-8").splitlines()] if self.events.exists() else []


@pytest.fixture(scope="module")
def collector(tmp_path_factory) -> Iterator[Collector]:
    """``kbgen collect`` on a free loopback port, as a team would run it."""
    events = tmp_path_factory.mktemp("collect") / "events.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "kbgen", "collect", "--port", "0", "--out", str(events)], stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()
    assert "listening on http://127.0.0.1:" in line, line
    url = line.split("listening on ")[1].split()[0]
    yield Collector(url, events, process)
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def loop_url(collector, build_demo_with) -> str:
    """The demo built with its feedback target at the collector."""
    return build_demo_with({"feedback": {"target": collector.url}})


@dataclass
class Tab:
    page: sync_api.Page
    requests: list[tuple[str, str]]  # (method, url)
    errors: list[str]


@pytest.fixture
def tab(browser) -> Iterator[Callable[..., Tab]]:
    contexts = []

    def open_tab(viewport: dict | None = None, scheme: str = "light") -> Tab:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, color_scheme=scheme, reduced_motion="reduce")
        contexts.append(context)
        opened = Tab(context.new_page(), [], [])
        opened.page.on("request", lambda request: opened.requests.append((request.method, request.url)))
        opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
        return opened

    yield open_tab
    for context in contexts:
        context.close()


def axe(page: sync_api.Page, axe_source: str, selector: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        "async (selector) => (await axe.run({include: [[selector]]}, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}))"
        ".violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
        selector,
    )
    return found


def no_horizontal_scroll(page: sync_api.Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def results(page: sync_api.Page) -> list[str]:
    return [urlsplit(href).path for href in page.locator("#kb-search-page-results a.kb-search-result__link").evaluate_all("links => links.map(l => l.href)")]


def search_from_header(page: sync_api.Page, query: str) -> list[str]:
    """Type ``query`` in the header search; return the paths of its results, in order, once they are shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    links = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all("links => links.map(l => l.href)")
    return list(dict.fromkeys(urlsplit(href).path for href in links))  # a page's sections link to it too


# ---- the search results page --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["reset password", "stripe payout", "invoice", "bank feed stopped working"])
def test_enter_in_the_header_search_opens_the_results_page_with_the_same_ranking(tab, demo_url, query):
    page = tab().page
    page.goto(demo_url + "faq/account/")
    dialog = search_from_header(page, query)
    with page.expect_navigation():
        page.locator("input.md-search__input").press("Enter")
    expect(page.locator("#kb-search-page-status")).to_contain_text("for “" + query + "”")
    expect(page).to_have_url(demo_url + "search/?q=" + query.replace(" ", "+"))
    shown = results(page)
    assert shown == dialog[: len(shown)] and shown, "the results page lists the header search's results in its order"
    assert not page.locator("#__search").is_checked(), "Material's search dialog stays closed on the results page"
    expect(page.locator("#kb-search-page-query")).to_have_value(query)


def test_results_page_pages_through_many_results_and_keeps_the_query_in_the_address(tab, demo_url):
    page = tab().page
    page.goto(demo_url + "search/?q=invoice")
    expect(page.locator("#kb-search-page-results > li")).to_have_count(10)
    page.click("#kb-search-page-more")
    assert page.locator("#kb-search-page-results > li").count() > 10
    assert parse_qs(urlsplit(page.url).query) == {"q": ["invoice"]}
    page.fill("#kb-search-page-query", "refund")
    page.press("#kb-search-page-query", "Enter")
    expect(page.locator("#kb-search-page-status")).to_contain_text("for “refund”")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["refund"]}
    page.go_back()
    expect(page.locator("#kb-search-page-status")).to_contain_text("for “invoice”")


def test_a_search_that_finds_nothing_offers_support_with_the_search(tab, demo_url, screenshot_path):
    page = tab().page
    page.goto(demo_url + "search/?q=payroll")
    expect(page.locator("#kb-search-page-status")).to_have_text("No results for “payroll”. Try other words, or fewer of them.")
    help_link = page.locator("#kb-search-help-link")
    expect(help_link).to_be_visible()
    page.screenshot(path=str(screenshot_path("loop-search-nothing-desktop")), full_page=True)
    help_link.click()
    expect(page.locator("#kb-problem")).to_have_value("payroll")


def test_contact_page_links_to_the_results_page_when_nothing_matched(tab, demo_url):
    page = tab().page
    page.goto(demo_url + "contact/")
    page.locator("#kb-problem").press_sequentially("track mileage")
    link = page.locator("#kb-search-all-link")
    expect(link).to_be_visible()
    assert "search/?q=track%20mileage" in link.get_attribute("href")
    page.locator("#kb-problem").fill("")
    page.locator("#kb-problem").press_sequentially("reset password")
    expect(page.locator("#kb-suggestions .kb-suggestion").first).to_be_visible()
    expect(page.locator("#kb-search-all")).to_be_hidden()


# ---- "Still need help?" -------------------------------------------------------------------------------


def test_still_need_help_carries_the_page_and_the_search_into_the_prepared_request(tab, demo_url, screenshot_path):
    page = tab().page
    page.goto(demo_url + "search/?q=forgot%20password")
    page.locator(f'#kb-search-page-results a[href$="/{ARTICLE}"]').click()
    still = page.locator("#kb-still-link")
    still.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("loop-still-need-help-desktop")), full_page=True)
    assert parse_qs(urlsplit(still.get_attribute("href")).query)["search"] == ["forgot password"]
    still.click()
    expect(page.locator("#kb-problem")).to_have_value("forgot password")
    assert urlsplit(page.url).query == "", "the context is taken in, not left in the address"
    page.click("#kb-answered-no")
    expect(page.locator("#kb-opened label")).to_have_text(["I read “Reset your password” (article)"])
    assert page.locator("#kb-category").input_value() == "account"
    page.fill("#kb-field-account-login_email", "sam@example.com")
    page.fill("#kb-description", "The reset link says it expired.")
    page.click("#kb-review")
    expect(page.locator("#kb-step-review")).to_be_visible()
    summary = page.locator("#kb-summary").inner_text()
    assert "Problem: forgot password" in summary
    assert "- Reset your password (article I was reading before contacting support): https://help.brightbill.example/faq/account/reset-your-password/" in summary


def test_still_need_help_on_a_thread_names_the_discussion(tab, demo_url):
    page = tab().page
    page.goto(demo_url + THREAD)
    page.locator("#kb-still-link").click()
    page.click("#kb-answered-no")
    expect(page.locator("#kb-opened label")).to_contain_text(["(community thread)"])


# ---- nothing leaves without a target ------------------------------------------------------------------


def test_without_a_target_no_vote_is_asked_and_no_request_leaves_the_site(tab, demo_url):
    opened = tab()
    page = opened.page
    page.goto(demo_url + ARTICLE)
    assert page.locator("#kb-vote").count() == 0
    page.goto(demo_url + "search/?q=payroll")
    expect(page.locator("#kb-search-page-status")).to_contain_text("No results")
    page.goto(demo_url)
    search_from_header(page, "invoice")
    with page.expect_navigation():
        page.locator("input.md-search__input").press("Enter")
    expect(page.locator("#kb-search-page-status")).to_contain_text("results for")
    page.goto(demo_url + "contact/")
    page.locator("#kb-problem").press_sequentially("reset password")
    page.locator("#kb-suggestions .kb-suggestion__link").first.click(modifiers=["Control"])
    page.click("#kb-answered-yes")
    expect(page.locator("#kb-step-thanks")).to_be_visible()
    page.click("#kb-start-over")
    page.locator("#kb-problem").press_sequentially("payroll for my staff")
    expect(page.locator("#kb-search-all")).to_be_visible()
    page.click("#kb-answered-no")
    expect(page.locator("#kb-step-details")).to_be_visible()
    site = urlsplit(demo_url).netloc
    assert [request for request in opened.requests if request[0] != "GET" or urlsplit(request[1]).netloc != site] == []
    assert opened.errors == []


# ---- the widgets: phone width, dark mode, axe-core ----------------------------------------------------


@pytest.mark.parametrize(("viewport", "scheme", "name"), [(None, "light", "desktop-light"), (PHONE, "dark", "phone-dark")])
def test_vote_widget_asks_why_on_no_and_is_accessible(tab, loop_url, axe_source, screenshot_path, viewport, scheme, name):
    page = tab(viewport, scheme).page
    page.goto(loop_url + ARTICLE)
    vote = page.locator("#kb-vote")
    expect(vote).to_be_visible()
    vote.scroll_into_view_if_needed()
    assert axe(page, axe_source, ".kb-page-end") == []
    page.click("#kb-vote-no")
    expect(page.locator("#kb-vote-reason")).to_be_visible()
    assert page.evaluate("() => document.activeElement.id") == "kb-vote-reason-title"
    assert axe(page, axe_source, ".kb-page-end") == []
    assert no_horizontal_scroll(page)
    page.locator(".kb-page-end").screenshot(path=str(screenshot_path(f"loop-vote-reason-{name}")))
    page.screenshot(path=str(screenshot_path(f"loop-article-end-{name}")), full_page=True)


@pytest.mark.parametrize(("viewport", "scheme", "name"), [(None, "dark", "desktop-dark"), (PHONE, "light", "phone-light")])
def test_results_page_is_accessible_at_phone_width_and_in_dark_mode(tab, demo_url, axe_source, screenshot_path, viewport, scheme, name):
    page = tab(viewport, scheme).page
    page.goto(demo_url + "search/?q=stripe%20payout")
    expect(page.locator("#kb-search-page-results > li").first).to_be_visible()
    assert page.locator("#kb-search-page-results mark").count() > 0, "matches are highlighted"
    assert axe(page, axe_source, "#kb-search-page") == []
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_path(f"loop-search-results-{name}")), full_page=True)


def test_still_need_help_is_accessible_at_phone_width_in_dark_mode(tab, demo_url, axe_source, screenshot_path):
    page = tab(PHONE, "dark").page
    page.goto(demo_url + THREAD)
    page.locator("#kb-still-link").scroll_into_view_if_needed()
    assert axe(page, axe_source, ".kb-page-end") == []
    assert no_horizontal_scroll(page)
    page.locator(".kb-page-end").screenshot(path=str(screenshot_path("loop-still-need-help-phone-dark")))


# ---- the loop, end to end -----------------------------------------------------------------------------


def posted(page: sync_api.Page, collector: Collector, action: Callable[[], None]) -> None:
    """Run ``action`` and wait until the collector has answered the event it posts."""
    with page.expect_response(lambda response: response.url.startswith(collector.url) and response.request.method == "POST") as response:
        action()
    assert response.value.status == 204


def test_searches_and_votes_come_back_through_kbgen_collect_into_kbgen_mine(tab, loop_url, collector, tmp_path, browser, screenshot_path):
    opened = tab()
    page = opened.page
    for query in PAYROLL:  # typed on the results page
        posted(page, collector, lambda query=query: page.goto(loop_url + "search/?q=" + query.replace(" ", "%20")))
    for query in MILEAGE[:2]:  # Enter in the header search
        page.goto(loop_url + "faq/account/")
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").fill(query)
        posted(page, collector, lambda: page.locator("input.md-search__input").press("Enter"))
    page.goto(loop_url + "contact/")  # the contact page: nothing matched, so the customer asks support
    page.locator("#kb-problem").press_sequentially(MILEAGE[2])
    expect(page.locator("#kb-search-all")).to_be_visible()
    posted(page, collector, lambda: page.click("#kb-answered-no"))
    page.goto(loop_url + "search/?q=reset%20password")  # found: not sent
    expect(page.locator("#kb-search-page-results > li").first).to_be_visible()
    page.goto(loop_url + ARTICLE)
    page.click("#kb-vote-no")
    page.check("#kb-vote-reason-wrong")
    page.fill("#kb-vote-comment", "The e-mail never came; I wrote to sam@example.com")
    posted(page, collector, lambda: page.click("#kb-vote-send"))
    expect(page.locator("#kb-vote-thanks")).to_be_focused()
    page.locator(".kb-page-end").screenshot(path=str(screenshot_path("loop-vote-thanks-desktop-light")))
    page.reload()
    expect(page.locator("#kb-vote-thanks")).to_have_text("Thanks for telling us what was wrong.")
    page.goto(loop_url + THREAD)
    posted(page, collector, lambda: page.click("#kb-vote-yes"))
    other = tab()  # another customer: a suggestion answers the question
    other.page.goto(loop_url + "contact/")
    other.page.locator("#kb-problem").press_sequentially("vat invoice for my subscription")
    other.page.locator("#kb-suggestions .kb-suggestion__link").first.click(modifiers=["Control"])
    posted(other.page, collector, lambda: other.page.click("#kb-answered-yes"))
    assert opened.errors == [] and other.errors == []
    requested = opened.requests + other.requests
    outside = {urlsplit(url).netloc for _, url in requested} - {urlsplit(loop_url).netloc, urlsplit(collector.url).netloc}
    assert outside == set(), "events go to the configured target only"

    events = collector.lines()
    assert [event["type"] for event in events] == ["search"] * 6 + ["vote", "vote", "answered"]
    assert [event["query"] for event in events[:6]] == [*PAYROLL, *MILEAGE]
    assert [event["where"] for event in events[:6]] == ["search"] * 5 + ["contact"]
    vote = events[6]
    assert (vote["page"], vote["helpful"], vote["reason"], vote["query"]) == (ARTICLE, False, "wrong", "reset password")
    assert events[7]["page"] == THREAD and events[7]["helpful"] is True
    assert events[8]["page"].startswith("faq/billing/") and events[8]["query"] == "vat invoice for my subscription"
    assert all(event["at"].endswith("Z") for event in events)

    collector.process.terminate()
    assert "9 events stored" in collector.process.communicate(timeout=10)[0]
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    report = tmp_path / "report.html"
    mined = subprocess.run(
        [sys.executable, "-m", "kbgen", "mine", str(collector.events), "--content-dir", str(content), "--no-drafts", "--report", str(report)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert mined.returncode == 0, mined.stderr
    assert "6 searches found nothing (2 groups)" in mined.stdout
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    groups = {group["id"]: group for group in data["groups"]}
    failed = {item["id"]: item["failed_searches"] for item in data["site"]["search_groups"]}
    wordings = [{groups[group_id]["title"].lower(), *(question.lower() for question in groups[group_id]["questions"])} for group_id in failed]
    assert len(wordings) == 2 and any(set(PAYROLL) <= found for found in wordings) and any(set(MILEAGE) <= found for found in wordings)
    assert all(not groups[group_id]["covered"] for group_id in failed) and sorted(failed.values()) == [3, 3]
    votes = {item["page"]: item for item in data["site"]["votes"]}
    assert votes[ARTICLE]["covered_badly"] and votes[ARTICLE]["comments"] == ["The e-mail never came; I wrote to [email]"]
    assert not votes[THREAD]["covered_badly"]

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    report_page = context.new_page()
    report_page.goto(report.as_uri())
    section = report_page.locator("h2", has_text="From the help center")
    expect(section).to_be_visible()
    expect(report_page.locator("h3", has_text="Searches that found nothing")).to_be_visible()
    section.scroll_into_view_if_needed()
    report_page.screenshot(path=str(screenshot_path("loop-mine-report")), full_page=True)
    context.close()
