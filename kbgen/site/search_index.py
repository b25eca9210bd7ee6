"""Teach the site search how customers ask: every question variant of an article becomes an entry of its own.

Material's search ranks titles far above text, and the words of a typed question ("I", "my")
expand as prefixes, so a variant buried in the page text loses to any title that shares a
prefix. An entry whose title *is* the variant, under the article's URL, ranks that article
first when a customer types the variant or something close to it; the search groups it under
the article and shows the variant as the matching part.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from html import escape
from pathlib import Path

SEARCH_INDEX = "search/search_index.json"
ANCHOR_PREFIX = "kb-asked-"


def variant_entries(variants: Iterable[tuple[str, str]], boost: float) -> list[dict[str, object]]:
    """Index entries for (page URL, question) pairs, numbered per page in the given order."""
    entries: list[dict[str, object]] = []
    numbers: dict[str, int] = {}
    for url, question in variants:
        numbers[url] = numbers.get(url, 0) + 1
        entries.append({"location": f"{url}#{ANCHOR_PREFIX}{numbers[url]}", "title": escape(question, quote=False), "text": "", "boost": boost})
    return entries


def add_question_variants(index_path: Path, variants: Iterable[tuple[str, str]], boost: float) -> bool:
    """Append variant entries to a built search index (written atomically). False if there is no index."""
    try:
        data = json.loads(index_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    documents = [entry for entry in data.get("docs", []) if f"#{ANCHOR_PREFIX}" not in str(entry.get("location", ""))]
    data["docs"] = documents + variant_entries(variants, boost)
    handle, temporary = tempfile.mkstemp(dir=index_path.parent, prefix=".search_index.", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"), default=str)
        os.replace(temporary, index_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
