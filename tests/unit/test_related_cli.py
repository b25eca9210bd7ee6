"""``kbgen related`` and batch ``kbgen search --queries``: the JSON contracts and clean failures."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_rank import PAGES


@pytest.fixture
def content(write_tree):
    return write_tree(PAGES)


def test_related_json_gives_scores_signals_and_reason(content, run_cli, tmp_path):
    result = run_cli("related", "faq/billing/change-your-plan.md", "--json", "--all", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0
    links = json.loads(result.stdout)
    assert [link["path"] for link in links] == sorted((link["path"] for link in links), key=lambda path: -next(item["score"] for item in links if item["path"] == path))
    assert {"path", "title", "url", "kind", "score", "signals", "reason"} <= set(links[0])
    assert set(links[0]["signals"]) == {"lexical", "questions"}
    assert "faq/billing/change-your-plan.md" not in [link["path"] for link in links]


def test_related_limit_and_threshold(content, run_cli, tmp_path):
    cache = tmp_path / "cache"
    everything = json.loads(run_cli("related", "faq/billing/invoices.md", "--json", "--all", "-n", "1", "--content-dir", content, "--cache-dir", cache).stdout)
    assert len(everything) == 1
    shown = json.loads(run_cli("related", "faq/billing/invoices.md", "--json", "--content-dir", content, "--cache-dir", cache).stdout)
    assert all(link["reason"] in ("ranked", "pinned", "links back") for link in shown)


def test_related_unknown_page_is_a_located_error(content, run_cli, tmp_path):
    result = run_cli("related", "faq/billing/nope.md", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 1
    assert "faq/billing/nope.md" in result.stderr and "Traceback" not in result.output


def test_batch_search_prints_one_json_line_per_query(content, run_cli, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("Why was I charged twice?\n\nhow do I\ndownload invoices\n", encoding="utf-8")
    result = run_cli("search", "--queries", queries, "--json", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["Why was I charged twice?", "how do I", "download invoices"]
    assert lines[0]["results"][0]["path"] == "faq/billing/request-a-refund.md" and lines[0]["results"][0]["exact"]
    assert lines[1]["results"] == []
    assert lines[2]["results"][0]["path"] == "faq/billing/invoices.md"


def test_batch_search_missing_file_is_a_located_error(content, run_cli, tmp_path):
    result = run_cli("search", "--queries", tmp_path / "missing.txt", "--content-dir", content)
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "Traceback" not in result.output
