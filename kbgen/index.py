"""The search index of a corpus: a Whoosh index kept under a cache folder and updated incrementally.

Every article and thread is one Whoosh document. Titles and question variants are boosted over
the body; threads also index their answers. A content hash per document decides what to
re-index; a corrupt or outdated index is rebuilt, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import whoosh
from whoosh import highlight
from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import Index
from whoosh.query import And, Or, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util import random_name

from kbgen.model import Article, Corpus, Document, Thread
from kbgen.project import version_stamps
from kbgen.text import analyzer, plain_text, unique_terms

log = logging.getLogger(__name__)

# Bump when the schema or the text put into it changes: a stored index of another version is rebuilt.
INDEX_VERSION = 1
INDEX_DIR = "search-index"
VERSION_FILE = "kbgen-index.json"
# Memory for the index writer's sort buffer: big enough that 5,000 pages sort without temp files.
WRITER_MEMORY_MB = 512

# How much a query word found in each field counts (title and question variants say what a page is about).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "questions": 2.5,
    "tags": 1.5,
    "summary": 1.5,
    "body": 1.0,
    "answers": 0.5,
    "category": 0.5,
}


def build_schema() -> Schema:
    text = analyzer()
    return Schema(
        path=ID(stored=True, unique=True),
        kind=ID(stored=True),
        draft=BOOLEAN(stored=True),
        url=STORED(),
        content_hash=STORED(),
        title=TEXT(analyzer=text, stored=True),
        questions=TEXT(analyzer=text),
        summary=TEXT(analyzer=text),
        body=TEXT(analyzer=text, stored=True),
        answers=TEXT(analyzer=text),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        category=TEXT(analyzer=text),
    )


@dataclass(frozen=True)
class SearchHit:
    path: str
    kind: str  # "article" | "thread"
    title: str
    url: str
    score: float
    snippet: str  # plain text; matched words wrapped in **double asterisks**


@dataclass(frozen=True)
class IndexStats:
    """What the last ``open_index`` did, so callers and tests can see incremental updates work."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False  # the stored index was missing, corrupt or of another version

    @property
    def reindexed(self) -> int:
        return self.added + self.updated


def document_fields(document: Document) -> dict[str, object]:
    """The text of one article or thread, by index field (the category's title is added by ``index_fields``)."""
    questions: tuple[str, ...] = ()
    summary = ""
    answers: list[str] = []
    draft = False
    if isinstance(document, Article):
        questions, summary, draft = document.questions, document.summary, document.is_draft
    elif isinstance(document, Thread):
        if document.summary is not None:
            summary = " ".join((document.summary.problem, document.summary.solution))
        for answer in document.answers_best_first:
            answers.append(plain_text(answer.body))
            answers.extend(plain_text(comment.body) for comment in answer.comments)
        answers.extend(plain_text(comment.body) for comment in document.comments)
    return {
        "path": document.path,
        "kind": document.kind,
        "draft": draft,
        "url": document.url,
        "title": document.title,
        "questions": "\n".join(questions),
        "summary": summary,
        "body": plain_text(document.body),
        "answers": "\n".join(answer for answer in answers if answer),
        "tags": ",".join(document.tags),
        "category": document.category.replace("-", " "),
    }


def index_fields(document: Document, corpus: Corpus) -> dict[str, object]:
    """The Whoosh fields of one article or thread (everything but the content hash)."""
    fields = document_fields(document)
    category = corpus.categories.get(document.category)
    if category is not None:
        fields["category"] = f"{fields['category']} {category.title}"
    return fields


def content_hash(document: Document, corpus: Corpus) -> str:
    """What decides re-indexing: the page's whole record (front matter and body) and its category's title.

    Hashing the record is far cheaper than rebuilding the indexed text of every unchanged page.
    """
    category = corpus.categories.get(document.category)
    text = f"{INDEX_VERSION}\n{category.title if category else ''}\n{document!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version_stamp() -> dict[str, object]:
    return {"index_version": INDEX_VERSION, "whoosh": whoosh.versionstring(), "kbgen": version_stamps().key}


class SearchIndex:
    """A Whoosh index of one corpus; ``search`` ranks its articles and threads for a query."""

    def __init__(self, index: Index, stats: IndexStats) -> None:
        self.index = index
        self.stats = stats
        self._searcher: Searcher | None = None

    def searcher(self) -> Searcher:
        """One BM25F searcher kept open for every query (opening one per query reads the index's table of contents again)."""
        if self._searcher is None:
            self._searcher = self.index.searcher(weighting=BM25F())
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    @property
    def document_count(self) -> int:
        return self.index.doc_count()

    def search(self, query: str, *, limit: int = 10, kind: str | None = None, include_drafts: bool = False) -> list[SearchHit]:
        """Articles and threads matching ``query`` (natural language), best first."""
        text_query = build_query(unique_terms([query]))
        if text_query is None or limit < 1:
            return []
        filters: list[Query] = []
        if kind is not None:
            filters.append(Term("kind", kind))
        if not include_drafts:
            filters.append(Term("draft", False))
        # A filter, not an And with the text query: Whoosh scores an And of a many-word Or wrongly (on
        # cstheory meta, BM25F's top 5 under And found 15.1 % of the linked threads; filtered, 22.5 %).
        only = None if not filters else filters[0] if len(filters) == 1 else And(filters)
        results = self.searcher().search(text_query, filter=only, limit=limit)
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
        results.formatter = _MarkedFormatter()
        hits = [
            SearchHit(
                path=hit["path"],
                kind=hit["kind"],
                title=hit["title"],
                url=hit["url"],
                score=round(float(hit.score), 4),
                snippet=hit.highlights("body", top=2) or _opening(hit["body"]),
            )
            for hit in results
        ]
        # Whoosh breaks score ties by internal document number, which depends on indexing history.
        return sorted(hits, key=lambda hit: (-hit.score, hit.path))


def build_query(query_terms: list[str], weights: dict[str, float] | None = None) -> Query | None:
    """An OR over every field of every term, each field weighted; None when no term is left."""
    weights = weights or FIELD_WEIGHTS
    clauses: list[Query] = []
    for term in query_terms:
        for field_name, weight in weights.items():
            clauses.append(Term(field_name, term, boost=weight))
    return Or(clauses) if clauses else None


class _MarkedFormatter(highlight.Formatter):
    """Plain-text snippets with matched words in **double asterisks** (readable in a terminal and JSON)."""

    between = " … "

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


def _opening(text: str, length: int = 160) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


class PrivateRamStorage(RamStorage):
    """Whoosh's in-memory storage, with its writer's scratch folder private to this storage.

    ``RamStorage`` puts every writer's temporary files in one folder shared by all processes,
    ``<tmp>/MAIN.tmp``, and deletes it when a writer commits: two processes indexing at once (two
    ``kbgen search`` runs, parallel builds or test workers) deleted each other's files, and the second
    failed with ``FileNotFoundError``. The folder name here carries a random part per storage; a writer
    still removes its folder when it commits.
    """

    def __init__(self) -> None:
        super().__init__()
        self._scratch = f"kbgen-{random_name(24)}"

    def temp_storage(self, name: str | None = None) -> FileStorage:
        folder = Path(tempfile.gettempdir()) / f"{self._scratch}-{name or random_name()}"
        return FileStorage(str(folder)).create()


def open_index(corpus: Corpus, cache_dir: Path | None = None) -> SearchIndex:
    """The index of ``corpus``: built in memory (``cache_dir`` None) or kept up to date under ``cache_dir``."""
    documents = {document.path: document for document in corpus.documents()}
    if cache_dir is None:
        index = PrivateRamStorage().create_index(build_schema())
        _add_all(index, corpus, documents)
        return SearchIndex(index, IndexStats(added=len(documents), rebuilt=True))
    location = Path(cache_dir) / INDEX_DIR
    try:
        index = _open_stored(location)
        if index is None:
            index = _rebuild(location, corpus, documents)
            return SearchIndex(index, IndexStats(added=len(documents), rebuilt=True))
        try:
            stats = _update(index, corpus, documents)
        except Exception as error:  # noqa: BLE001 - any failure reading a damaged index means: rebuild it
            log.warning("search index in %s is damaged (%s); rebuilding it", location, error)
            index = _rebuild(location, corpus, documents)
            stats = IndexStats(added=len(documents), rebuilt=True)
    except OSError as error:
        # A read-only checkout or a full disk must not stop a search: index in memory instead.
        log.warning("cannot write the search index in %s (%s); indexing in memory", location, error)
        return open_index(corpus, None)
    return SearchIndex(index, stats)


def _open_stored(location: Path) -> Index | None:
    """The stored index if it is whole and of this version, else None (the caller rebuilds)."""
    if not location.is_dir():
        return None
    try:
        stamp = json.loads((location / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = None
    if stamp != _version_stamp():
        log.info("search index in %s is missing or from another version; rebuilding it", location)
        return None
    try:
        index = FileStorage(str(location)).open_index()
        if set(index.schema.names()) != set(build_schema().names()):
            return None
        return index
    except Exception as error:  # noqa: BLE001 - Whoosh raises many types on damaged files
        log.warning("search index in %s cannot be opened (%s); rebuilding it", location, error)
        return None


def _rebuild(location: Path, corpus: Corpus, documents: dict[str, Document]) -> Index:
    """Build a fresh index beside the old one, then swap it in: a crash never leaves half an index."""
    location.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{location.name}-", dir=location.parent))
    index = FileStorage(str(staging)).create_index(build_schema())
    _add_all(index, corpus, documents)
    (staging / VERSION_FILE).write_text(json.dumps(_version_stamp()), encoding="utf-8")
    index.close()
    if location.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{location.name}-old-", dir=location.parent))
        location.rename(retired / "index")
        shutil.rmtree(retired, ignore_errors=True)
    staging.rename(location)
    return FileStorage(str(location)).open_index()


def _add_all(index: Index, corpus: Corpus, documents: dict[str, Document]) -> None:
    writer = index.writer(limitmb=WRITER_MEMORY_MB)
    for path in sorted(documents):
        writer.add_document(**index_fields(documents[path], corpus), content_hash=content_hash(documents[path], corpus))
    writer.commit()


def _stored_hashes(index: Index) -> Iterator[tuple[str, str]]:
    with index.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            yield stored["path"], stored.get("content_hash", "")


def _update(index: Index, corpus: Corpus, documents: dict[str, Document]) -> IndexStats:
    """Re-index changed and new documents, remove deleted ones; leave the rest alone."""
    stored = dict(_stored_hashes(index))
    hashes = {path: content_hash(document, corpus) for path, document in documents.items()}
    added = sorted(path for path in documents if path not in stored)
    updated = sorted(path for path in documents if path in stored and stored[path] != hashes[path])
    removed = sorted(path for path in stored if path not in documents)
    if added or updated or removed:
        writer = index.writer(timeout=10.0, limitmb=WRITER_MEMORY_MB)
        for path in removed:
            writer.delete_by_term("path", path)
        for path in (*added, *updated):
            writer.update_document(**index_fields(documents[path], corpus), content_hash=hashes[path])
        writer.commit()
        log.debug("search index: %d added, %d updated, %d removed", len(added), len(updated), len(removed))
    unchanged = len(documents) - len(added) - len(updated)
    return IndexStats(added=len(added), updated=len(updated), removed=len(removed), unchanged=unchanged)
