"""The site search's data for articles and threads, written by kbgen from the content rather than the pages.

What the browser downloads is a choice (``search_words``): every page's title, an article's
summary, and the start of its answer (a thread's question and best answer) up to a word budget,
not the full text of every thread. Each question variant of an article is an entry of its own:
Material's search ranks titles far above text, and the words of a typed question ("I", "my")
expand as prefixes, so a variant buried in the page text loses to any title that shares a
prefix. An entry whose title *is* the variant, under the article's URL, ranks that article first
when a customer types the variant or something close to it; the search groups it under the
article and shows the variant as the matching part.

Entries come from the Corpus, not from rendered HTML, so a rebuild that skips unchanged pages
still writes the same index as a clean build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from kbgen.content.atomic import atomic_writer
from kbgen.model import Article, Document, Thread
from kbgen.text import plain_text

SEARCH_INDEX = "search/search_index.json"
ANCHOR_PREFIX = "kb-asked-"
WHOLE_TEXT = -1  # ``search_words`` value that indexes every word


def variant_entries(variants: Iterable[tuple[str, str]], boost: float) -> list[dict[str, object]]:
    """Index entries for (page URL, question) pairs, numbered per page in the given order."""
    entries: list[dict[str, object]] = []
    numbers: dict[str, int] = {}
    for url, question in variants:
        numbers[url] = numbers.get(url, 0) + 1
        entries.append({"location": f"{url}#{ANCHOR_PREFIX}{numbers[url]}", "title": escape(question, quote=False), "text": "", "boost": boost})
    return entries


# Characters of Markdown read per word wanted: a page's start gives the words without reducing the whole page to text.
CHARACTERS_PER_WORD = 20


def first_words(text: str, words: int) -> str:
    """The first ``words`` words of plain ``text`` ("…" when cut); all of it for ``WHOLE_TEXT``."""
    if words < 0:
        return text
    if words == 0:
        return ""
    parts = text.split(maxsplit=words)
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " …"


def markdown_start(markdown: str, words: int) -> str:
    """The first ``words`` words of ``markdown`` as plain text.

    Only the start of a long page is reduced to text; a construct cut at the end of that start
    (a link, a tag) lies beyond the words kept, or the whole page is read instead.
    """
    if words < 0:
        return plain_text(markdown)
    start = markdown[: (words + 20) * CHARACTERS_PER_WORD]
    if len(start) < len(markdown):
        text = plain_text(start)
        if len(text.split(maxsplit=words + 20)) > words + 20:
            return first_words(text, words)
    return first_words(plain_text(markdown), words)


def search_text(document: Document, words: int) -> list[str]:
    """The paragraphs of plain text indexed for ``document``: summary, then the start of the answer or thread.

    A thread gives half the budget to its question and the rest to its best answer.
    """
    if isinstance(document, Article):
        return [part for part in (document.summary, markdown_start(document.body, words)) if part]
    assert isinstance(document, Thread)
    parts = [document.summary.problem, document.summary.solution] if document.summary is not None else []
    answer = document.answers_best_first[0].body if document.answers else ""
    if words and answer.strip():
        question_words = words // 2 if words > 0 else words
        question = markdown_start(document.body, question_words)
        used = min(len(question.split()), question_words)  # a short question leaves its words to the answer
        parts += [question, markdown_start(answer, max(words - used, 1) if words > 0 else words)]
    elif words:
        parts.append(markdown_start(document.body, words))
    return [part.strip() for part in parts if part.strip()]


def document_entries(document: Document, url: str, paragraphs: Sequence[str], *, boost: float, variant_boost: float) -> list[dict[str, object]]:
    """The entries of one article or thread page at ``url``: the page itself (its ``search_text``), then each of an article's question variants."""
    text = "".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)
    entry: dict[str, object] = {"location": url, "title": escape(document.title, quote=False), "text": text}
    if isinstance(document, Article):
        entry["boost"] = boost
        return [entry, *variant_entries(((url, question) for question in document.questions), variant_boost)]
    return [entry]


def page_of(location: str) -> str:
    """The page URL of an index entry's location (``faq/a/#section`` -> ``faq/a/``)."""
    return location.split("#", 1)[0]


def latest_entries(entries: Sequence[dict[str, Any]], pages: Sequence[str]) -> list[dict[str, Any]]:
    """Entries of ``pages`` (URLs), in that order, each page's from its last run in ``entries``.

    A search plugin that keeps its index between dirty rebuilds appends a rebuilt page's entries
    after the ones of its previous build; the last run is the current one.
    """
    runs: dict[str, list[dict[str, Any]]] = {}
    current: str | None = None
    for entry in entries:
        page = page_of(str(entry.get("location", "")))
        if page != current:
            runs[page] = []
            current = page
        runs[page].append(entry)
    return [entry for page in pages for entry in runs.get(page, [])]


def write_search_index(index_path: Path, kept_pages: Sequence[str], entries: Iterable[dict[str, object]]) -> bool:
    """Rewrite a built search index: the search plugin's entries of ``kept_pages``, then ``entries``.

    Written beside the index then renamed (a reader never sees half a file); False if the search
    plugin wrote no index.
    """
    try:
        data = json.loads(index_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    data["docs"] = [*latest_entries(data.get("docs", []), kept_pages), *entries]
    with atomic_writer(index_path) as stream:  # default permissions: a web server reads it
        json.dump(data, stream, separators=(",", ":"), default=str)
    return True
