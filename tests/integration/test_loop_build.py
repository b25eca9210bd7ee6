"""The feedback loop's pages from a real build: the search results page, page endings, and the feedback target."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ARTICLE = """
    ---
    title: Reset your password
    questions: [I forgot my password]
    ---
    Choose **Forgot password** on the sign-in page.
    """
THREAD = """
    ---
    title: Locked out after changing my phone
    author: sam
    date: 2026-02-01
    answers:
      - author: support
        date: 2026-02-02
        accepted: true
        body: Use a backup code.
    ---
    The two-step code is refused.
    """


@pytest.fixture
def build(write_tree, tmp_path, run_cli):
    """Build a small site with the given kbgen options (YAML lines under ``- kbgen:``); returns (site, build output)."""

    def run(options: str = "", extra: str = "", expect: int = 0) -> tuple[Path, str]:
        write_tree({"faq/account/reset-your-password.md": ARTICLE, "community/account/locked-out.md": THREAD})
        plugin = "  - kbgen\n" if not options else "  - kbgen:\n" + "".join(f"      {line}\n" for line in options.splitlines())
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            f"site_name: Test help\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n{extra}plugins:\n  - search\n{plugin}",
            encoding="utf-8",
        )
        result = run_cli("build", "-f", config)
        assert result.exit_code == expect, result.output
        return config.parent / "site", result.output

    return run


def loop_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="kbgen-loop" type="application/json">(.*?)</script>', html).group(1))


def test_without_a_target_the_build_says_feedback_is_off_and_pages_ask_no_vote(build):
    site, output = build()
    assert "feedback is off" in output
    article = (site / "faq/account/reset-your-password/index.html").read_text(encoding="utf-8")
    assert 'id="kb-vote"' not in article
    assert loop_config(article) == {"kind": "off", "target": "", "votes": False, "searches": False, "search": "../../../search/", "contact": "../../../contact/"}
    link = re.search(r'id="kb-still-link" data-kb-contact\s+href="([^"]+)"', article).group(1)
    assert link == "../../../contact/?from=faq%2Faccount%2Freset-your-password%2F&amp;title=Reset+your+password&amp;kind=article&amp;category=account"
    thread = (site / "community/account/locked-out/index.html").read_text(encoding="utf-8")
    assert "Still need help?" in thread and "you read this discussion" in thread


def test_search_results_page_is_built_outside_the_navigation(build):
    site, _ = build()
    page = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'id="kb-search-page"' in page and "search-page.js" in page and 'href="../contact/"' in page
    assert (site / "search/search_index.json").is_file(), "beside Material's search index"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="search/"' not in home, "not a navigation entry"
    assert "Search the whole help center" in (site / "contact/index.html").read_text(encoding="utf-8")
    assert "Nothing you type is sent" in (site / "contact/index.html").read_text(encoding="utf-8")


def test_an_endpoint_target_adds_the_vote_and_tells_customers_on_the_contact_and_search_pages(build):
    site, output = build("feedback:\n  target: https://events.example.com/kbgen")
    assert "sent to events.example.com" in output
    article = (site / "faq/account/reset-your-password/index.html").read_text(encoding="utf-8")
    assert 'id="kb-vote" data-page="faq/account/reset-your-password/" data-title="Reset your password" hidden' in article
    assert loop_config(article)["kind"] == "post" and loop_config(article)["target"] == "https://events.example.com/kbgen"
    assert "Was this article helpful?" in article
    assert "Was this discussion helpful?" in (site / "community/account/locked-out/index.html").read_text(encoding="utf-8")
    contact = (site / "contact/index.html").read_text(encoding="utf-8")
    assert "Nothing you type is sent" not in contact and "without your name" in contact
    assert "Searches that find nothing are sent to our team" in (site / "search/index.html").read_text(encoding="utf-8")


def test_searches_can_stay_unrecorded_while_votes_are_asked(build):
    site, _ = build("feedback:\n  target: https://events.example.com/kbgen\n  searches: false")
    assert loop_config((site / "search/index.html").read_text(encoding="utf-8"))["searches"] is False
    assert "Searches that find nothing" not in (site / "search/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["http://events.example.com/", "mailto:team@example.com", "ftp://x"])
def test_a_target_that_is_not_an_endpoint_or_analytics_fails_the_build_saying_what_is_accepted(build, target):
    _, output = build(f"feedback:\n  target: '{target}'", expect=1)
    assert "kbgen feedback: feedback target" in output and "'analytics'" in output


def test_analytics_target_without_material_analytics_warns(build):
    _, output = build("feedback:\n  target: analytics")
    assert "extra.analytics is not set" in output
    _, output = build("feedback:\n  target: analytics", extra="extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n")
    assert "extra.analytics is not set" not in output and "window.dataLayer" in output


def test_pages_can_do_without_the_search_page_and_still_need_help(build):
    site, _ = build("search_page: false\nstill_need_help: false")
    assert not (site / "search/index.html").exists()
    article = (site / "faq/account/reset-your-password/index.html").read_text(encoding="utf-8")
    assert "Still need help?" not in article and loop_config(article)["search"] == ""
