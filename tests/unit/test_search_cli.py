"""``kbgen search``: the JSON contract, text output, filters, and clean failures."""

from __future__ import annotations

import json

import pytest

PAGES = {
    "faq/billing/request-a-refund.md": "---\ntitle: Request a refund\nquestions: [Can I get my money back?]\n---\nOpen Billing history and click Request refund.\n",
    "faq/billing/change-your-plan.md": "---\ntitle: Change your plan\n---\nUpgrades apply at once; downgrades are never refunded.\n",
    "faq/account/old-refund-policy.md": "---\ntitle: Old refund policy\nstatus: draft\n---\nRefunds were manual.\n",
    "community/billing/refund-took-two-weeks.md": "---\ntitle: My refund took two weeks\nauthor: sam\ndate: 2026-01-02\n---\nIs a refund of two weeks normal?\n",
}


@pytest.fixture
def content(write_tree):
    return write_tree(PAGES)


def test_json_lists_results_best_first_with_the_contract_fields(content, run_cli, tmp_path):
    result = run_cli("search", "refund", "--json", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert [hit["path"] for hit in hits][0] == "faq/billing/request-a-refund.md"
    assert {"path", "kind", "title", "url", "score", "snippet"} <= set(hits[0])
    assert hits[0] == {**hits[0], "kind": "article", "title": "Request a refund", "url": "faq/billing/request-a-refund/"}
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert "faq/account/old-refund-policy.md" not in [hit["path"] for hit in hits]


def test_limit_kind_and_drafts(content, run_cli, tmp_path):
    cache = tmp_path / "cache"
    limited = json.loads(run_cli("search", "refund", "--json", "-n", "1", "--content-dir", content, "--cache-dir", cache).stdout)
    assert len(limited) == 1
    threads = json.loads(run_cli("search", "refund", "--json", "--kind", "thread", "--content-dir", content, "--cache-dir", cache).stdout)
    assert [hit["path"] for hit in threads] == ["community/billing/refund-took-two-weeks.md"]
    drafts = json.loads(run_cli("search", "refunds", "manual", "--json", "--drafts", "--content-dir", content, "--cache-dir", cache).stdout)
    assert drafts[0]["path"] == "faq/account/old-refund-policy.md"


def test_text_output_names_title_path_url_and_kind(content, run_cli, tmp_path):
    result = run_cli("search", "money back", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[:3]
    assert first[0].startswith("1. Request a refund") and "[article]" in first[0] and "score" in first[0]
    assert "faq/billing/request-a-refund.md" in first[1] and "faq/billing/request-a-refund/" in first[1]


def test_index_is_kept_in_the_cache_folder_beside_the_content(content, run_cli):
    assert run_cli("search", "refund", "--content-dir", content).exit_code == 0
    assert (content.parent / ".kbgen" / "search-index").is_dir()


def test_no_results_is_an_empty_list(content, run_cli, tmp_path):
    result = run_cli("search", "zebra", "--json", "--content-dir", content, "--cache-dir", tmp_path / "cache")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize("query", ["", "   ", "how do I"])
def test_empty_query_is_a_usage_error(content, run_cli, query):
    result = run_cli("search", query, "--content-dir", content)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "query" in result.stderr or "nothing to search" in result.stderr


def test_nothing_to_search_is_a_clear_error(write_tree, run_cli, tmp_path):
    empty = write_tree({})
    result = run_cli("search", "refund", "--content-dir", empty, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 1
    assert "nothing to search" in result.stderr
    missing = run_cli("search", "refund", "--content-dir", tmp_path / "missing")
    assert missing.exit_code == 1 and "content directory not found" in missing.stderr
