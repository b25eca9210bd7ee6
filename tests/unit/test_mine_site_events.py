"""``kbgen mine`` on the help center's events: failed searches become gap groups, "not helpful" marks an article."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE = """\
---
title: Reset your password
questions:
  - How do I reset my password?
  - I forgot my password
  - Reset password link
  - Reset my password
  - Password reset please
status: published
---
Choose **Forgot password** on the sign-in page and follow the link we e-mail you.
"""


def _event(**fields: object) -> str:
    return json.dumps({"kbgen_event": 1, **fields})


def _mine(run_cli, tmp_path: Path, write_tree, *logs: Path) -> dict:
    content = write_tree({"faq/account/reset-your-password.md": ARTICLE})
    report = tmp_path / "out" / "report.html"
    result = run_cli("mine", *logs, "--content-dir", content, "--no-drafts", "--report", report)
    assert result.exit_code == 0, result.output
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    data["_html"] = report.read_text(encoding="utf-8")
    data["_output"] = result.output
    return data


def test_failed_searches_become_gap_groups_in_their_own_report_section(run_cli, tmp_path: Path, write_tree) -> None:
    events = tmp_path / "events.jsonl"
    lines = [_event(type="search", query=query, results=0, where="search", at="2026-03-01T10:00:00Z") for query in ("payroll", "run payroll", "payroll for employees")]
    lines.append(_event(type="vote", page="faq/account/reset-your-password/", title="Reset your password", helpful=True))
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = _mine(run_cli, tmp_path, write_tree, events)
    payroll = [group for group in data["groups"] if "payroll" in group["title"].lower()]
    assert len(payroll) == 1 and payroll[0]["asked"] == 3 and not payroll[0]["covered"]
    assert data["site"]["failed_searches"] == 3 and data["site"]["events"] == 4
    assert data["site"]["search_groups"] == [{"id": payroll[0]["id"], "failed_searches": 3}]
    assert data["site"]["votes"][0]["covered_badly"] is False
    assert "Searches that found nothing" in data["_html"] and "3 searches found nothing (1 groups)" in data["_output"]


def test_a_group_made_mostly_of_failed_searches_is_a_gap_even_if_an_article_matches(run_cli, tmp_path: Path, write_tree) -> None:
    wordings = ("reset my password", "reset password", "password reset please")
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(wordings) + "\n", encoding="utf-8")
    alone = _mine(run_cli, tmp_path / "alone", write_tree, plain)
    assert [group["covered"] for group in alone["groups"]] == [True], "the same words from a plain log are covered"
    questions = tmp_path / "questions.txt"
    questions.write_text("how do I reset my password\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(_event(type="search", query=query, results=0) for query in wordings) + "\n", encoding="utf-8")
    data = _mine(run_cli, tmp_path, write_tree, questions, events)
    group = data["groups"][0]
    assert group["asked"] == 4 and group["match"]["path"] == "faq/account/reset-your-password.md"
    assert not group["covered"], "customers searched and found nothing: a gap"


def test_not_helpful_votes_mark_the_groups_an_article_covers_badly(run_cli, tmp_path: Path, write_tree) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text("how do I reset my password\nI forgot my password\nreset password link\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    vote = {"type": "vote", "page": "faq/account/reset-your-password/", "title": "Reset your password", "helpful": False}
    events.write_text(
        _event(**vote, reason="wrong", comment="the link expired, write to jo@example.com") + "\n"
        + _event(**vote, reason="wrong") + "\n" + _event(**{**vote, "helpful": True}) + "\n"
        + _event(type="answered", query="reset password", page="faq/account/reset-your-password/", title="Reset your password") + "\n",
        encoding="utf-8",
    )
    data = _mine(run_cli, tmp_path, write_tree, questions, events)
    vote_data = data["site"]["votes"][0]
    assert (vote_data["helpful"], vote_data["not_helpful"], vote_data["reasons"]) == (1, 2, {"wrong": 2})
    assert vote_data["covered_badly"] and vote_data["comments"] == ["the link expired, write to [email]"]
    assert data["groups"][0]["covered"] and data["groups"][0]["covered_badly"]
    assert vote_data["groups"] == [data["groups"][0]["id"]]
    assert data["site"]["answered"] == [{"page": "faq/account/reset-your-password/", "title": "Reset your password", "count": 1}]
    assert "covered badly" in data["_html"] and "jo@example.com" not in data["_html"]


def test_bad_event_lines_are_skipped_with_their_line(run_cli, tmp_path: Path, write_tree) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        _event(type="search", query="payroll", results=0) + "\n" + _event(type="search", query="") + "\n{oops\n"
        + "\n".join(_event(type="search", query="payroll " + word, results=0) for word in ("setup", "help")) + "\n",
        encoding="utf-8",
    )
    data = _mine(run_cli, tmp_path, write_tree, events)
    assert data["skipped_rows"] == 2 and data["site"]["failed_searches"] == 3
    assert f"{events}:2:1: warning: not a kbgen event" in data["_output"]
