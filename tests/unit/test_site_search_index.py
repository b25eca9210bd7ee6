"""Question variants become search entries of their own under their article, replacing those of an earlier build."""

from __future__ import annotations

import json

from kbgen.site.search_index import add_question_variants, variant_entries


def test_variant_entries_are_numbered_per_page_and_escaped():
    entries = variant_entries([("faq/a/", "Why <this>?"), ("faq/a/", "And that"), ("faq/b/", "Other")], boost=5)
    assert entries == [
        {"location": "faq/a/#kb-asked-1", "title": "Why &lt;this&gt;?", "text": "", "boost": 5},
        {"location": "faq/a/#kb-asked-2", "title": "And that", "text": "", "boost": 5},
        {"location": "faq/b/#kb-asked-1", "title": "Other", "text": "", "boost": 5},
    ]


def test_add_question_variants_appends_once_even_when_run_again(tmp_path):
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": "faq/a/", "title": "A", "text": "answer"}]}), encoding="utf-8")
    for _ in range(2):
        assert add_question_variants(index, [("faq/a/", "How?")], boost=5)
    data = json.loads(index.read_text(encoding="utf-8"))
    assert data["config"] == {"lang": ["en"]}
    assert [entry["location"] for entry in data["docs"]] == ["faq/a/", "faq/a/#kb-asked-1"]
    assert list(tmp_path.iterdir()) == [index], "no temporary file left behind"


def test_no_search_index_is_no_error(tmp_path):
    assert add_question_variants(tmp_path / "missing.json", [("faq/a/", "How?")], boost=5) is False
