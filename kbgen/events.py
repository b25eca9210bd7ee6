"""The help center's events: what a customer's search, vote or answered question tells the team.

The site posts one JSON object per event to the team's target; a receiver (``kbgen collect``, or
the team's own endpoint) stores each as one line of a JSON-lines file, adding ``at`` (when it was
received, ISO 8601 UTC); ``kbgen mine`` reads that file back as a log. This module owns the format:
the same checks run where events are received and where they are read.

    {"kbgen_event": 1, "type": "search", "query": "export to quickbooks", "results": 0, "where": "search"}
    {"kbgen_event": 1, "type": "vote", "page": "faq/account/reset-your-password/", "title": "Reset your password",
     "helpful": false, "reason": "unclear", "comment": "", "query": "reset password"}
    {"kbgen_event": 1, "type": "answered", "query": "vat invoice", "page": "faq/billing/download-brightbill-invoices/",
     "title": "Download your Brightbill invoices"}
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

EVENT_KEY = "kbgen_event"
EVENT_VERSION = 1
EVENT_TYPES = ("search", "vote", "answered")
# Where a failed search was typed: the search results page or the contact page's problem box.
SEARCH_PLACES = ("search", "contact")
# Why an article did not help (the reasons the site offers after "No").
REASONS = ("incomplete", "unclear", "wrong", "other")
MAX_EVENT_BYTES = 4096  # one event as posted; anything larger is not an event
TEXT_LIMITS = {"query": 300, "page": 500, "title": 300, "comment": 500, "at": 40}


class EventError(ValueError):
    """An object that is not a valid event; the message says which field and why."""


@dataclass(frozen=True)
class SiteEvent:
    """One event. ``page`` is the page's URL relative to the site root ("faq/account/reset-your-password/")."""

    type: str  # search | vote | answered
    query: str = ""  # what the customer searched or typed (search, answered; a vote's search that led to the page)
    results: int = 0  # search: how many results the site showed (0: none)
    where: str = ""  # search: "search" (results page) or "contact" (contact page)
    page: str = ""  # vote, answered: the page voted on, or the suggestion that answered
    title: str = ""
    helpful: bool | None = None  # vote
    reason: str = ""  # vote, not helpful: one of REASONS, or ""
    comment: str = ""  # vote, not helpful: the customer's own words (optional)
    at: str = ""  # set by the receiver

    def to_json(self) -> str:
        """One line of the stored file: only the fields that apply, in a fixed order."""
        data: dict[str, Any] = {EVENT_KEY: EVENT_VERSION}
        for name, value in asdict(self).items():
            if value not in ("", None) and not (name == "results" and self.type != "search"):
                data[name] = value
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _text(data: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise EventError(f"'{name}' must be a string, not {type(value).__name__}")
    value = " ".join(value.split())
    if required and not value:
        raise EventError(f"a {data.get('type')} event needs a non-empty '{name}'")
    if len(value) > TEXT_LIMITS[name]:
        raise EventError(f"'{name}' is longer than {TEXT_LIMITS[name]} characters")
    return value


def _page(data: dict[str, Any]) -> str:
    page = _text(data, "page", required=True)
    if page.startswith(("/", "\\")) or "://" in page or ".." in page.split("/"):
        raise EventError("'page' must be a URL relative to the site root, like 'faq/account/reset-your-password/'")
    return page


def parse_event(data: Any) -> SiteEvent:
    """Check one decoded JSON value and return it as a SiteEvent. Raises EventError saying what is wrong."""
    if not isinstance(data, dict):
        raise EventError(f"an event is a JSON object, not {type(data).__name__}")
    if data.get(EVENT_KEY) != EVENT_VERSION:
        raise EventError(f"not a kbgen event: '{EVENT_KEY}' must be {EVENT_VERSION}")
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise EventError(f"'type' must be one of {', '.join(EVENT_TYPES)}, not {kind!r}")
    at = _text(data, "at")
    if kind == "search":
        results = data.get("results", 0)
        if isinstance(results, bool) or not isinstance(results, int) or results < 0:
            raise EventError("'results' must be a whole number of at least 0")
        where = data.get("where", "search")
        if where not in SEARCH_PLACES:
            raise EventError(f"'where' must be one of {', '.join(SEARCH_PLACES)}, not {where!r}")
        return SiteEvent("search", query=_text(data, "query", required=True), results=results, where=where, at=at)
    if kind == "answered":
        return SiteEvent("answered", query=_text(data, "query"), page=_page(data), title=_text(data, "title"), at=at)
    helpful = data.get("helpful")
    if not isinstance(helpful, bool):
        raise EventError("a vote needs 'helpful': true or false")
    reason = data.get("reason") or ""
    if reason and (helpful or reason not in REASONS):
        raise EventError(f"'reason' goes with a 'not helpful' vote and is one of {', '.join(REASONS)}")
    comment = _text(data, "comment")
    if comment and helpful:
        raise EventError("'comment' goes with a 'not helpful' vote")
    return SiteEvent(
        "vote", query=_text(data, "query"), page=_page(data), title=_text(data, "title"), helpful=helpful, reason=reason, comment=comment, at=at
    )


def parse_event_line(line: str) -> SiteEvent:
    """One stored line (or one posted body) as a SiteEvent. Raises EventError."""
    if len(line.encode("utf-8")) > MAX_EVENT_BYTES:
        raise EventError(f"an event is at most {MAX_EVENT_BYTES} bytes")
    try:
        data = json.loads(line)
    except ValueError as error:
        raise EventError(f"invalid JSON ({str(error).split(':')[0]})") from None
    except RecursionError:
        raise EventError("invalid JSON (nested too deep to read)") from None
    return parse_event(data)


def looks_like_events(first_line: str) -> bool:
    """Whether a log's first line is a kbgen event (how ``kbgen mine`` recognises an events file)."""
    return first_line.lstrip().startswith("{") and f'"{EVENT_KEY}"' in first_line
