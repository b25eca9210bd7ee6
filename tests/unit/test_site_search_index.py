"""The site search's entries: every question variant an entry of its own, and a word budget for each page's text."""

from __future__ import annotations

import json
import os

from kbgen.model import Article, Post, Thread, ThreadSummary
from kbgen.site.search_index import (
    document_entries,
    first_words,
    latest_entries,
    markdown_start,
    search_text,
    variant_entries,
    write_search_index,
)
from kbgen.text import plain_text

BODY = "Open **Settings** and choose [Plans](../plans.md). " * 40


def article(**fields) -> Article:
    values = {"path": "faq/billing/a.md", "category": "billing", "slug": "a", "title": "Change <my> plan", "body": BODY, "body_line": 5,
              "questions": ("How do I upgrade?", "Switch plan"), "summary": "Pick a plan in Settings."}
    return Article(**{**values, **fields})


def thread(**fields) -> Thread:
    answers = (Post("ann", "2026-01-02", "Try turning it off and on. " * 30, votes=1), Post("bob", "2026-01-03", "Accepted fix here. " * 30, accepted=True))
    values = {"path": "community/billing/t.md", "category": "billing", "slug": "t", "title": "Sync fails", "body": "My sync fails every day. " * 30,
              "body_line": 5, "answers": answers}
    return Thread(**{**values, **fields})


def test_variant_entries_are_numbered_per_page_and_escaped():
    entries = variant_entries([("faq/a/", "Why <this>?"), ("faq/a/", "And that"), ("faq/b/", "Other")], boost=5)
    assert entries == [
        {"location": "faq/a/#kb-asked-1", "title": "Why &lt;this&gt;?", "text": "", "boost": 5},
        {"location": "faq/a/#kb-asked-2", "title": "And that", "text": "", "boost": 5},
        {"location": "faq/b/#kb-asked-1", "title": "Other", "text": "", "boost": 5},
    ]


def test_an_article_is_indexed_by_its_summary_and_the_start_of_its_answer():
    summary, start = search_text(article(), 12)
    assert summary == "Pick a plan in Settings."
    assert start == first_words(plain_text(BODY), 12) and start.endswith(" …") and len(start.split()) == 13
    assert search_text(article(), 0) == ["Pick a plan in Settings."]
    assert search_text(article(), -1)[1] == plain_text(BODY)


def test_a_thread_gives_half_its_budget_to_the_question_and_the_rest_to_the_best_answer():
    question, answer = search_text(thread(), 20)
    assert question.startswith("My sync fails") and len(question.split()) == 11  # ten words and the ellipsis
    assert answer.startswith("Accepted fix here.") and len(answer.split()) == 11
    written = search_text(thread(summary=ThreadSummary(problem="Sync stops.", solution="Reconnect.")), 20)
    assert written[:2] == ["Sync stops.", "Reconnect."]
    assert search_text(thread(answers=()), 8) == [first_words(plain_text("My sync fails every day. " * 30), 8)]


def test_reading_only_the_start_of_a_long_page_gives_the_same_words():
    markdown = "Intro with a [link](https://example.com/x) and `code`.\n\n" + BODY * 5 + "\n\n<div>tail</div>"
    for words in (1, 10, 60):
        assert markdown_start(markdown, words) == first_words(plain_text(markdown), words)
    assert markdown_start("Short answer.", 60) == "Short answer."


def test_document_entries_put_the_page_first_then_its_variants():
    entries = document_entries(article(), "faq/billing/a/", ["Pick <a> plan."], boost=2, variant_boost=5)
    assert entries[0] == {"location": "faq/billing/a/", "title": "Change &lt;my&gt; plan", "text": "<p>Pick &lt;a&gt; plan.</p>", "boost": 2}
    assert [entry["location"] for entry in entries[1:]] == ["faq/billing/a/#kb-asked-1", "faq/billing/a/#kb-asked-2"]
    assert document_entries(thread(), "community/billing/t/", [], boost=2, variant_boost=5) == [
        {"location": "community/billing/t/", "title": "Sync fails", "text": ""}
    ]


def test_latest_entries_keep_each_pages_last_run_in_page_order():
    entries = [{"location": "about/"}, {"location": "about/#old"}, {"location": "contact/"}, {"location": "about/"}, {"location": "about/#new"}]
    assert latest_entries(entries, ["contact/", "about/", "gone/"]) == [{"location": "contact/"}, {"location": "about/"}, {"location": "about/#new"}]


def test_write_search_index_keeps_the_plugins_config_and_entries_of_kept_pages(tmp_path):
    index = tmp_path / "search_index.json"
    plugin_docs = [{"location": "about/", "title": "About", "text": "x"}, {"location": "faq/a/", "title": "A", "text": "full text"}]
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": plugin_docs}), encoding="utf-8")
    for _ in range(2):
        assert write_search_index(index, ["about/"], [{"location": "faq/a/", "title": "A", "text": "start"}])
    data = json.loads(index.read_text(encoding="utf-8"))
    assert data["config"] == {"lang": ["en"]}
    assert data["docs"] == [{"location": "about/", "title": "About", "text": "x"}, {"location": "faq/a/", "title": "A", "text": "start"}]
    assert list(tmp_path.iterdir()) == [index], "no temporary file left behind"
    umask = os.umask(0)
    os.umask(umask)
    assert index.stat().st_mode & 0o777 == 0o666 & ~umask, "readable by a web server like any other output"


def test_no_search_index_is_no_error(tmp_path):
    assert write_search_index(tmp_path / "missing.json", [], []) is False
