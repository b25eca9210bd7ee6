"""The German demo in Chromium: the home page, an article's "Was this helpful?", the contact page and the search page.

The scripts' messages (suggestions, validation, thanks, results) come from the page's JSON table,
so they appear in German only when the browser ran them; screenshots go to tests/browser/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from demo_config import demo_config

from kbgen.build import build_site

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def german_url(tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]) -> str:
    folder = tmp_path_factory.mktemp("german")
    return serve_directory(build_site(demo_config(folder, "de"), site_dir=folder / "site"))


def test_german_home_page(page, german_url, screenshot_path):
    page.goto(german_url)
    expect(page.locator("h1#kb-title")).to_have_text("Wie können wir helfen?")
    expect(page.locator("#kb-hero-query")).to_have_attribute("placeholder", "Suchen, z. B. „Ich habe mein Passwort vergessen“")
    expect(page.locator("#kb-topics")).to_have_text("Nach Thema stöbern")
    expect(page.locator(".kb-card__counts").first).to_contain_text("Artikel · ")
    assert page.locator("html").get_attribute("lang") == "de"
    page.screenshot(path=screenshot_path("german-home"), full_page=True)


def test_german_article_asks_was_this_helpful_and_thanks_in_german(page, german_url):
    page.goto(german_url + "faq/billing/change-your-plan/")
    expect(page.locator("#kb-vote-question")).to_have_text("War dieser Artikel hilfreich?")
    expect(page.locator(".kb-breadcrumbs__item").first).to_have_text("Startseite")
    page.locator("#kb-vote-yes").click()
    expect(page.locator("#kb-vote-thanks")).to_have_text("Vielen Dank! Schön, dass es geholfen hat.")


def test_german_contact_page_suggests_validates_and_prepares_the_request(page, german_url, screenshot_path):
    page.goto(german_url + "contact/")
    expect(page.locator("#kb-step-describe-title")).to_have_text("Wobei brauchen Sie Hilfe?")
    page.locator("#kb-problem").fill("I need a VAT invoice for my subscription")
    expect(page.locator("#kb-suggestions-status")).to_contain_text("vorgeschlagene Antwort")
    expect(page.locator(".kb-suggestion .kb-badge").first).to_have_text("Artikel")
    expect(page.locator("#kb-feedback-question")).to_have_text("Hat eine dieser Antworten Ihre Frage beantwortet?")
    page.screenshot(path=screenshot_path("german-contact-suggestions"), full_page=True)
    page.locator("#kb-answered-no").click()
    expect(page.locator("#kb-step-details-title")).to_have_text("Was der Support wissen muss")
    page.locator("#kb-category").select_option("")
    page.locator("#kb-review").click()
    expect(page.locator(".kb-contact__errors-title")).to_have_text("Bitte beheben Sie 2 Probleme:")
    expect(page.locator("#kb-category-error")).to_have_text("Wählen Sie ein Thema.")
    expect(page.locator("#kb-description-error")).to_have_text("Beschreiben Sie, was passiert, damit der Support sofort helfen kann.")
    page.screenshot(path=screenshot_path("german-contact-errors"), full_page=True)
    page.locator("#kb-category").select_option("account")
    page.locator("#kb-description").fill("Die Rechnung zeigt keine Umsatzsteuer.")
    page.locator("#kb-review").click()
    # A team's own field is named as the team wrote its label (German keeps the capital a label starts with).
    expect(page.locator("#kb-field-account-login_email-error")).to_have_text("Bitte ausfüllen: E-mail address you sign in with.")
    for control in page.locator('.kb-contact__category[data-category="account"] [required]').all():
        control.fill("mira@example.com" if control.get_attribute("type") == "email" else "Brightbill GmbH")
    page.locator("#kb-review").click()
    summary = page.locator("#kb-summary")
    expect(summary).to_contain_text("Problem: I need a VAT invoice for my subscription")
    expect(summary).to_contain_text("Was ich im Hilfe-Center gelesen habe:")
    expect(summary).to_contain_text("Was passiert:")
    expect(page.locator("#kb-step-review-title")).to_have_text("Prüfen Sie Ihre Anfrage")


def test_german_search_page_reports_results_in_german(page, german_url):
    page.goto(german_url + "search/?q=invoice")
    expect(page.locator("#kb-search-page-status")).to_contain_text("Ergebnisse für „invoice“.", timeout=15000)
    expect(page.locator(".kb-search-result .kb-badge").first).to_have_text("Artikel")
