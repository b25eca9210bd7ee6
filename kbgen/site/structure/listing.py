"""Paginated listings: which entries each page of a listing shows, and where that page lives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


@dataclass(frozen=True)
class ListingPage(Generic[Entry]):
    """One page of a listing: its entries and its place among the listing's pages."""

    base: str  # folder of the listing's first page, e.g. "faq/billing"
    src_uri: str  # where MkDocs finds it, e.g. "faq/billing/index.md" or "faq/billing/page/2/index.md"
    number: int  # 1-based
    page_count: int
    entries: tuple[Entry, ...]
    offset: int  # position of the first entry in the whole listing, 0-based
    entry_count: int  # entries in the whole listing

    @property
    def is_first(self) -> bool:
        return self.number == 1


def listing_uri(base: str, number: int = 1) -> str:
    """Source path of page ``number`` of the listing rooted at ``base`` ("" is the site root)."""
    parts = [part for part in base.strip("/").split("/") if part]
    if number > 1:
        parts += ["page", str(number)]
    return "/".join([*parts, "index.md"])


def paginate(base: str, entries: Sequence[Entry], per_page: int) -> tuple[ListingPage[Entry], ...]:
    """Split ``entries`` into pages of at most ``per_page``; an empty listing still has one (empty) page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    total = len(entries)
    page_count = max(1, -(-total // per_page))
    return tuple(
        ListingPage(
            base=base.strip("/"),
            src_uri=listing_uri(base, number),
            number=number,
            page_count=page_count,
            entries=tuple(entries[(number - 1) * per_page : number * per_page]),
            offset=(number - 1) * per_page,
            entry_count=total,
        )
        for number in range(1, page_count + 1)
    )
