"""The site's event format and ``kbgen collect``: what is accepted, what is refused, and how it is stored."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kbgen.collect import EventStore, make_server, server_url
from kbgen.errors import KbgenError
from kbgen.events import MAX_EVENT_BYTES, EventError, parse_event, parse_event_line

VOTE = {"kbgen_event": 1, "type": "vote", "page": "faq/account/reset-your-password/", "title": "Reset your password", "helpful": False, "reason": "unclear"}


def test_events_of_each_type_are_read_with_their_fields_and_spaces_folded() -> None:
    search = parse_event({"kbgen_event": 1, "type": "search", "query": "  run   payroll ", "results": 0, "where": "contact"})
    assert (search.type, search.query, search.results, search.where) == ("search", "run payroll", 0, "contact")
    vote = parse_event(VOTE)
    assert (vote.page, vote.helpful, vote.reason) == ("faq/account/reset-your-password/", False, "unclear")
    answered = parse_event({"kbgen_event": 1, "type": "answered", "query": "vat invoice", "page": "faq/billing/x/"})
    assert (answered.type, answered.query, answered.page) == ("answered", "vat invoice", "faq/billing/x/")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kbgen_event": 2}, "not a kbgen event"),
        ({"type": "click"}, "'type' must be one of"),
        ({"helpful": "no"}, "helpful"),
        ({"reason": "boring"}, "'reason'"),
        ({"helpful": True, "reason": "", "comment": "great"}, "'comment' goes with"),
        ({"page": "https://evil.example/"}, "relative to the site root"),
        ({"page": "../../etc/passwd"}, "relative to the site root"),
        ({"title": "x" * 301}, "longer than 300"),
        ({"title": 5}, "must be a string"),
    ],
)
def test_a_bad_event_says_which_field_is_wrong(change: dict, message: str) -> None:
    with pytest.raises(EventError, match=message):
        parse_event({**VOTE, **change})


def test_a_search_needs_a_query_and_a_count() -> None:
    with pytest.raises(EventError, match="non-empty 'query'"):
        parse_event({"kbgen_event": 1, "type": "search", "query": "  ", "results": 0})
    with pytest.raises(EventError, match="'results'"):
        parse_event({"kbgen_event": 1, "type": "search", "query": "payroll", "results": -1})


def test_stored_lines_hold_only_the_fields_that_apply() -> None:
    line = parse_event(VOTE).to_json()
    assert json.loads(line) == VOTE, "no empty comment, no search count on a vote"
    assert parse_event_line(line) == parse_event(VOTE)
    with pytest.raises(EventError, match="at most"):
        parse_event_line(json.dumps({**VOTE, "comment": "x" * MAX_EVENT_BYTES}))


def test_store_adds_the_time_received_and_stops_at_its_size_limit(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events" / "events.jsonl", max_bytes=400)
    received = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert store.add(json.dumps({**VOTE, "at": "1999-01-01"}), received)
    assert store.add(json.dumps(VOTE), received)
    assert not store.add(json.dumps(VOTE), received), "a third line would pass 400 bytes"
    lines = (tmp_path / "events" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and store.stored == 2
    assert [json.loads(line)["at"] for line in lines] == ["2026-03-01T12:00:00Z"] * 2, "the receiver's clock, not the sender's"


def test_store_refuses_a_folder_it_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(KbgenError, match="cannot write the events file"):
        EventStore(tmp_path / "file" / "events.jsonl")


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[tuple[str, EventStore]]:
    store = EventStore(tmp_path / "events.jsonl", max_bytes=1000)
    server = make_server(store, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server_url(server), store
    server.shutdown()
    server.server_close()


def _post(url: str, body: bytes, method: str = "POST") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=body if method == "POST" else None, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_collector_stores_posted_events_and_answers_the_cors_preflight(collector: tuple[str, EventStore]) -> None:
    url, store = collector
    status, headers, _ = _post(url, b"", method="OPTIONS")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*" and "Content-Type" in headers["Access-Control-Allow-Headers"]
    assert _post(url + "events", json.dumps(VOTE).encode())[0] == 204
    status, _, text = _post(url, b'{"kbgen_event": 1, "type": "vote"}')
    assert status == 400 and "helpful" in text
    assert _post(url + "elsewhere", json.dumps(VOTE).encode())[0] == 404
    assert _post(url, b"x" * (MAX_EVENT_BYTES + 1))[0] == 413
    assert [json.loads(line)["page"] for line in store.path.read_text(encoding="utf-8").splitlines()] == [VOTE["page"]]


def test_collector_refuses_events_once_the_file_is_full(collector: tuple[str, EventStore]) -> None:
    url, store = collector
    statuses = [_post(url, json.dumps(VOTE).encode())[0] for _ in range(8)]
    assert statuses[:5] == [204] * 5 and statuses[-1] == 507
    assert store.path.stat().st_size <= store.max_bytes


def test_collect_command_listens_on_loopback_by_default(run_cli) -> None:
    result = run_cli("collect", "--help")
    assert "127.0.0.1" in result.output and "--max-size" in result.output
