"""The contact page in Chromium, on the built demo: suggestions while typing, the form, the summary, sending.

Two builds of the demo content: with the demo's own mailto target, and with a POST target at a
local recorder server, so the tests see exactly which requests leave the browser, and when.
``browser``, ``demo_url``, ``serve_directory``, ``axe_source`` and ``screenshot_path`` come from conftest.py.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

DEMO_PROBLEM = "I need a VAT invoice for my Brightbill subscription"
DEMO_ARTICLE = "Download your Brightbill invoices"
DEMO_ARTICLE_URL = "https://help.brightbill.example/faq/billing/download-brightbill-invoices/"
PHONE = {"width": 390, "height": 844}


@dataclass
class Recorder:
    """A stand-in help-desk form endpoint: records every request; answers CORS preflights."""

    requests: list[dict] = field(default_factory=list)
    fail_next: bool = False
    url: str = ""


def recorder_handler(recorder: Recorder) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
            pass

        def _cors(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            recorder.requests.append({"method": self.command, "path": self.path, "type": self.headers.get("Content-Type", ""), "body": body})

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
            self._record()
            self._answer(204)

        def do_POST(self) -> None:  # noqa: N802
            self._record()
            self._answer(503 if recorder.fail_next else 201)
            recorder.fail_next = False

        def do_GET(self) -> None:  # noqa: N802
            self._record()
            self._answer(404)

    return Handler


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    recorder = Recorder()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), recorder_handler(recorder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}/tickets"
    yield recorder
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def post_demo_url(recorder, build_demo_with) -> str:
    """The demo built with its contact requests going to the recorder (HTTP POST)."""
    return build_demo_with({"contact": {"target": recorder.url}})


@dataclass
class Visit:
    """A browser tab and every URL it requested."""

    page: sync_api.Page
    requested: list[str]
    errors: list[str]

    def outside_hosts(self) -> list[str]:
        return [url for url in self.requested if urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def visit(browser) -> Iterator[Callable[..., Visit]]:
    """Open tabs (desktop by default) that note every request and every script error."""
    contexts = []

    def open_tab(viewport: dict | None = None) -> Visit:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, reduced_motion="reduce")
        contexts.append(context)
        tab = Visit(context.new_page(), [], [])
        tab.page.on("request", lambda request: tab.requested.append(request.url))
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(screenshot_path) -> Callable[[sync_api.Page, str], None]:
    return lambda page, name: page.screenshot(path=str(screenshot_path(name)), full_page=True)


@pytest.fixture
def axe_violations(axe_source) -> Callable[[sync_api.Page], list[str]]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations inside the contact page's own markup."""

    def check(page: sync_api.Page) -> list[str]:
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async () => (await axe.run({include: [['#kb-contact']]}, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})).violations"
        )
        return [f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']]}" for violation in result]

    return check


def type_problem(page: sync_api.Page, text: str, expected_first: str) -> None:
    page.locator("#kb-problem").press_sequentially(text)
    sync_api.expect(page.locator("#kb-suggestions .kb-suggestion__link").first).to_have_text(expected_first)


def fill_request(page: sync_api.Page, category: str, fields: dict[str, str], description: str) -> None:
    """Decline the suggestions, choose the topic, fill in its fields and the description."""
    page.click("#kb-answered-no")
    page.select_option("#kb-category", category)
    for field_id, value in fields.items():
        control = page.locator(f"#kb-field-{category}-{field_id}")
        if control.evaluate("control => control.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.fill("#kb-description", description)


def test_whole_flow_suggests_the_article_then_prepares_a_mail_listing_it(visit, demo_url, screenshot):
    tab = visit()
    page = tab.page
    page.goto(demo_url + "faq/billing/change-your-plan/")  # read before deciding to contact support
    page.goto(demo_url + "contact/")
    type_problem(page, DEMO_PROBLEM, DEMO_ARTICLE)
    sync_api.expect(page.locator("#kb-suggestions-status")).to_contain_text("suggested answer")
    screenshot(page, "contact-desktop-suggestions")

    page.locator("#kb-suggestions .kb-suggestion__link").first.click()
    sync_api.expect(page.locator("h1").first).to_contain_text(DEMO_ARTICLE)
    page.go_back()
    sync_api.expect(page.locator("#kb-problem")).to_have_value(DEMO_PROBLEM)
    sync_api.expect(page.locator("#kb-feedback-question")).to_have_text(f"Did “{DEMO_ARTICLE}” answer your question?")
    sync_api.expect(page.locator("#kb-suggestions .kb-badge--opened")).to_have_count(1)

    page.click("#kb-answered-no")
    sync_api.expect(page.locator("#kb-step-details-title")).to_be_focused()
    sync_api.expect(page.locator("#kb-category")).to_have_value("billing")  # from the article they opened
    sync_api.expect(page.locator("#kb-opened label")).to_have_text([f"I read “{DEMO_ARTICLE}” (article)"])
    sync_api.expect(page.locator("label[for=kb-consent-history]")).to_have_text("Also include the 1 other help-center page I read during this visit")
    page.fill("#kb-field-billing-invoice_number", "BB-2026-0042")
    page.fill("#kb-field-billing-card_last4", "4242")
    page.fill("#kb-tried", "Looked under Billing history, the VAT number is missing there too.")
    page.fill("#kb-description", "My invoices BB-2026-0042 and older do not show our VAT number.")
    page.check("#kb-consent-history")
    page.check("#kb-consent-environment")
    page.click("#kb-review")

    sync_api.expect(page.locator("#kb-step-review-title")).to_be_focused()
    summary = page.inner_text("#kb-summary")
    assert summary.startswith(f"Problem: {DEMO_PROBLEM}\nTopic: Plans & billing\n")
    assert "Brightbill invoice number (BB-…): BB-2026-0042\nLast 4 digits of the card charged: 4242\n" in summary
    assert f"- {DEMO_ARTICLE} (article, opened from the suggestions): {DEMO_ARTICLE_URL}" in summary
    assert "- Change your plan (read during this visit): https://help.brightbill.example/faq/billing/change-your-plan/" in summary
    assert "What I already tried:\nLooked under Billing history" in summary
    assert "Environment: Chrom" in summary
    screenshot(page, "contact-desktop-summary")

    mail = page.get_attribute("#kb-send-mail", "href")
    assert mail.startswith("mailto:support@brightbill.example?subject=")
    query = parse_qs(urlsplit(mail).query)
    assert query["subject"] == [f"[Plans & billing] {DEMO_PROBLEM}"]
    assert query["body"][0].replace("\r\n", "\n") == summary
    assert tab.outside_hosts() == []
    assert tab.errors == []


def test_history_and_environment_stay_out_without_consent(visit, demo_url):
    page = visit().page
    page.goto(demo_url + "faq/account/reset-your-password/")
    page.goto(demo_url + "contact/")
    type_problem(page, "password reset email never arrives", "Reset your password")
    fill_request(page, "account", {"login_email": "owner@example.com"}, "No reset mail after three tries.")
    page.click("#kb-review")
    summary = page.inner_text("#kb-summary")
    assert "What I read on the help center:\n- nothing yet" in summary
    assert "reset-your-password" not in summary and "Environment" not in summary
    assert "E-mail address you sign in with: owner@example.com" in summary


def test_missing_required_fields_are_announced_and_focused(visit, demo_url, screenshot, axe_violations):
    page = visit().page
    page.goto(demo_url + "contact/")
    type_problem(page, "stripe payout late", "Your Stripe payout hasn't arrived")
    page.keyboard.press("Tab")
    sync_api.expect(page.locator("#kb-suggestions .kb-suggestion__link").first).to_be_focused()
    page.focus("#kb-answered-no")
    page.keyboard.press("Enter")
    sync_api.expect(page.locator("#kb-step-details-title")).to_be_focused()
    page.select_option("#kb-category", "")
    page.click("#kb-review")

    category = page.locator("#kb-category")
    sync_api.expect(category).to_be_focused()
    sync_api.expect(category).to_have_attribute("aria-invalid", "true")
    sync_api.expect(category).to_have_attribute("aria-describedby", "kb-category-error")
    sync_api.expect(page.locator("#kb-category-error")).to_have_text("Choose a topic.")
    sync_api.expect(page.locator("#kb-description")).to_have_attribute("aria-describedby", "kb-description-hint kb-description-error")
    sync_api.expect(page.locator("#kb-errors li")).to_have_text(["Choose a topic.", "Describe what happens, so support can help at once."])

    page.select_option("#kb-category", "payments")
    sync_api.expect(category).not_to_have_attribute("aria-invalid", "true")
    page.click("#kb-review")
    field = page.locator("#kb-field-payments-invoice_number")
    sync_api.expect(field).to_be_focused()
    sync_api.expect(page.locator("#kb-field-payments-invoice_number-error")).to_have_text("Enter invoice number the payment is for.")
    screenshot(page, "contact-desktop-errors")
    assert axe_violations(page) == []


def test_yes_ends_the_flow_with_a_thank_you_even_offline(visit, demo_url):
    tab = visit()
    page = tab.page
    page.goto(demo_url + "contact/")
    page.wait_for_function("window.kbgenContact && window.kbgenContact.index")
    page.context.set_offline(True)
    requests_before = len(tab.requested)
    type_problem(page, "app crash", "The app crashes or won't open")
    assert len(tab.requested) == requests_before, "suggestions need no request once the page has loaded"
    page.click("#kb-answered-yes")
    sync_api.expect(page.locator("#kb-step-thanks-title")).to_be_focused()
    sync_api.expect(page.locator("#kb-step-thanks-title")).to_have_text("Glad that helped")
    sync_api.expect(page.locator("#kb-contact-form")).to_be_hidden()
    assert json.loads(page.evaluate("sessionStorage.getItem('kbgen.contact')"))["problem"] == ""
    page.click("#kb-start-over")
    sync_api.expect(page.locator("#kb-problem")).to_be_focused()
    sync_api.expect(page.locator("#kb-problem")).to_have_value("")


def test_contact_page_is_accessible_and_fits_a_phone(visit, demo_url, screenshot, axe_violations):
    page = visit(PHONE).page
    page.goto(demo_url + "contact/")
    assert axe_violations(page) == []
    type_problem(page, "bank feed keeps disconnecting", "Your bank feed stopped updating")
    screenshot(page, "contact-phone-suggestions")
    assert axe_violations(page) == []
    fill_request(page, "expenses", {"bank": "DNB"}, "The feed stops every few days.")
    screenshot(page, "contact-phone-form")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#kb-review")
    screenshot(page, "contact-phone-summary")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_post_target_receives_the_request_only_on_send(visit, post_demo_url, recorder):
    recorder.requests.clear()
    tab = visit()
    page = tab.page
    page.goto(post_demo_url + "contact/")
    type_problem(page, "stripe payout has not arrived", "Your Stripe payout hasn't arrived")
    fill_request(page, "payments", {"invoice_number": "INV-0190", "provider": "Stripe"}, "The payout for INV-0190 is 9 days late.")
    page.fill("#kb-email", "not-an-address")
    page.click("#kb-review")
    sync_api.expect(page.locator("#kb-email-error")).to_have_text("Enter an e-mail address like name@example.com.")
    page.fill("#kb-email", "lea@example.com")
    page.click("#kb-review")
    sync_api.expect(page.locator("#kb-send")).to_have_text("Send to support")
    assert recorder.requests == [], "nothing leaves the browser before Send"
    assert not any(url.startswith(recorder.url) for url in tab.requested)

    recorder.fail_next = True
    page.click("#kb-send")
    sync_api.expect(page.locator("#kb-send-status")).to_contain_text("We could not send your request (the server answered 503)")
    page.click("#kb-send")
    sync_api.expect(page.locator("#kb-step-thanks-title")).to_have_text("Your request was sent")
    posts = [request for request in recorder.requests if request["method"] == "POST"]
    assert len(posts) == 2 and all(request["path"] == "/tickets" for request in posts)
    assert posts[-1]["type"] == "application/json"
    sent = json.loads(posts[-1]["body"])
    assert sent["category"] == "payments" and sent["email"] == "lea@example.com"
    assert sent["fields"] == [
        {"id": "invoice_number", "label": "Invoice number the payment is for", "value": "INV-0190"},
        {"id": "provider", "label": "Payment provider", "value": "Stripe"},
    ]
    assert sent["summary"].startswith("Problem: stripe payout has not arrived\nTopic: Getting paid\n")
    assert sent["environment"] == "" and sent["read"] == []
    assert tab.outside_hosts() == []


def test_post_target_can_take_form_fields(visit, post_demo_url, recorder):
    recorder.requests.clear()
    page = visit().page
    page.goto(post_demo_url + "contact/")
    type_problem(page, "xero tax rate not found", "Xero sync fails with \"Tax rate not found\" for some invoices")
    page.locator("#kb-suggestions .kb-suggestion__link").first.click()
    page.go_back()
    page.evaluate("document.getElementById('kb-contact').dataset.encoding = 'form'")  # as `encoding: form` builds it
    fill_request(page, "integrations", {"integration": "Xero"}, "Sync stops at INV-0042.")
    page.fill("#kb-email", "sam@example.com")
    page.click("#kb-review")
    page.click("#kb-send")
    sync_api.expect(page.locator("#kb-step-thanks-title")).to_have_text("Your request was sent")
    (post,) = [request for request in recorder.requests if request["method"] == "POST"]
    assert post["type"].startswith("application/x-www-form-urlencoded")
    sent = {key: values[0] for key, values in parse_qs(post["body"]).items()}
    assert sent["field.integration"] == "Xero" and sent["category"] == "integrations"
    assert sent["read"].startswith('Xero sync fails with "Tax rate not found" for some invoices: https://help.brightbill.example/community/')
    assert "Topic: Integrations & API" in sent["summary"]
