"""Related pages: for every article and thread, the articles and threads that answer the same problem.

How related two pages are is ``kbgen.rank``'s business (``RelatednessModel``: lexical, question
variant, topic and, with ``kbgen[semantic]``, embedding signals fused without tuned weights).
``compute_links`` thresholds those scores (an unrelated page gets no links rather than bad ones),
orders them with stable tie-breaking, makes strong links two-way, and applies the writer's
``related:`` (pin) and ``unrelated:`` (suppress) front matter. ``likely_duplicates`` warns about
two articles that answer the same question.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path

import numpy as np

from kbgen.errors import KbgenError
from kbgen.frontmatter import read_front_matter
from kbgen.index import content_hash
from kbgen.load import read_text
from kbgen.model import Article, Corpus, Document, Thread
from kbgen.rank import RankSettings, RelatednessModel, ranking_model

log = logging.getLogger(__name__)

# A Markdown link to another content page: ``[text](../billing/request-a-refund.md#anchor)``.
_PAGE_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")

# Bump when scoring changes: cached links of another version are recomputed.
LINKS_VERSION = 4
LINKS_FILE = "related-links.json"
DUPLICATES_FILE = "likely-duplicates.json"
# Rows of the similarity matrix computed at once: bounds memory at BLOCK_ROWS x pages floats.
BLOCK_ROWS = 512


@dataclass(frozen=True)
class RelatedLink:
    path: str
    title: str
    url: str
    kind: str  # "article" | "thread"
    score: float


@dataclass(frozen=True)
class Related:
    articles: tuple[RelatedLink, ...] = ()
    threads: tuple[RelatedLink, ...] = ()


@dataclass(frozen=True)
class LinkSettings(RankSettings):
    """How related pages are scored (``RankSettings``) and chosen (``compute_links(**settings)`` overrides any of them)."""

    max_articles: int = 5  # related articles listed per page
    max_threads: int = 5  # community discussions listed per page
    # Minimum relatedness (0..1) for a link that no writer pinned: where a logistic calibration of the scores
    # on SemEval-2016 dev's labelled pairs says a link is as likely relevant as not (0.269; 80-83 % of the
    # links then listed are relevant). bench/related_semeval.py prints the calibration and the precision.
    threshold: float = 0.27
    reciprocal_rank: int = 2  # a page in another page's top N links back to it, even past its own top N
    include_drafts: bool = False  # drafts are never linked to on the public site
    duplicate_threshold: float = 0.75  # ``likely_duplicates``: lexical relatedness of two articles' questions


def compute_links(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> dict[str, Related]:
    """Related articles and threads of every article and thread, keyed by content path."""
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    if not documents:
        return {}
    key = _links_key(corpus, documents, options)
    cached = _read_links(cache_dir, key)
    if cached is not None:
        log.debug("related links unchanged since the last build: read from %s", cache_dir)
        return cached
    return LiveLinks(corpus, cache_dir, **settings).links


class LiveLinks:
    """Related links kept up to date while pages change (``kbgen serve``), without learning the corpus again per edit.

    Built like ``compute_links`` (and saved to its cache); ``update`` then scores only the pages
    that changed against the others, with the model learnt at the start (``RelatednessModel.update``),
    and chooses again the links of the pages whose candidates, owed links or linked pages changed.
    A change to many pages is learnt afresh.
    """

    def __init__(self, corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> None:
        self.options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
        self.cache_dir = cache_dir
        self._learn(corpus)

    def _learn(self, corpus: Corpus) -> None:
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        self.hashes = {document.path: content_hash(document, corpus) for document in documents}
        self.model = ranking_model(self.options, self.cache_dir).fit(documents) if documents else None
        self.candidates = dict(_ranked_candidates(self.model, documents, self.options)) if self.model is not None else {}
        self.context = _LinkContext.of(documents, self.candidates, self.options)
        self.links = {document.path: self.context.choose(document, self.candidates) for document in documents}
        log.debug("related links computed for %d pages", len(self.links))
        _write_links(self.cache_dir, _links_key(corpus, documents, self.options), self.links)

    def update(self, corpus: Corpus, hashes: Mapping[str, str] | None = None) -> dict[str, Related]:
        """The links of ``corpus``, a later state of the corpus this was built from (``hashes``: its ``content_hash`` by path, if known)."""
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        hashes = hashes if hashes is not None else {document.path: content_hash(document, corpus) for document in documents}
        changed = [document for document in documents if self.hashes.get(document.path) != hashes[document.path]]
        removed = [path for path in self.hashes if path not in hashes]
        if not changed and not removed:
            return self.links
        if self.model is None or len(changed) + len(removed) > max(20, len(documents) // 20):
            self._learn(corpus)
            return self.links
        self.model.update(changed, removed)
        self.hashes = dict(hashes)
        gone = set(removed) | {document.path for document in changed}
        recheck = self._rescore(changed, set(removed))
        context = _LinkContext.of(documents, self.candidates, self.options)
        recheck |= context.differences(self.context)
        # Pages that list a changed page show its title: choose again too.
        recheck |= {path for path, related in self.links.items() if any(link.path in gone for link in (*related.articles, *related.threads))}
        self.context = context
        self.links = {path: related for path, related in self.links.items() if path in context.by_path}
        for path in sorted(recheck & context.by_path.keys()):
            self.links[path] = context.choose(context.by_path[path], self.candidates)
        return self.links

    def _rescore(self, changed: Sequence[Document], removed: set[str]) -> set[str]:
        """New candidates of the changed pages; the changed pages' place in every other page's candidates.

        Returns the pages whose candidates changed.
        """
        model, options = self.model, self.options
        assert model is not None
        keep = _candidates_kept(options)
        gone = removed | {document.path for document in changed}
        touched = set()
        for path in list(self.candidates):
            if path in removed:
                del self.candidates[path]
            elif any(candidate in gone for _, candidate in self.candidates[path]):
                self.candidates[path] = [(score, candidate) for score, candidate in self.candidates[path] if candidate not in gone]
                touched.add(path)
        rows = model.scores([model.position_[document.path] for document in changed]) if changed else []
        changed_paths = {document.path for document in changed}
        for document, row in zip(changed, rows, strict=True):
            row[model.position_[document.path]] = -1.0
            above = np.flatnonzero(row >= options.threshold)
            found = [(float(row[index]), model.paths_[index]) for index in above]
            self.candidates[document.path] = sorted(found, key=_by_score)[:keep]
            for score, other in found:
                if other not in changed_paths:  # scores are symmetric: the other page gains this one
                    self.candidates[other].append((score, document.path))
                    touched.add(other)
        for path in touched:
            self.candidates[path] = sorted(self.candidates[path], key=_by_score)[:keep]
        return touched | changed_paths


@dataclass(frozen=True)
class _LinkContext:
    """What choosing a page's links needs beyond its candidates: the pages, pins, suppressions, links owed back."""

    by_path: dict[str, Document]
    urls: dict[str, str]
    linkable: set[str]
    suppressed: set[tuple[str, str]]
    pins: dict[str, list[str]]
    wanted_back: dict[str, dict[str, float]]
    options: LinkSettings

    @classmethod
    def of(cls, documents: Sequence[Document], candidates: dict[str, list[tuple[float, str]]], options: LinkSettings) -> _LinkContext:
        by_path = {document.path: document for document in documents}
        linkable = {path for path, document in by_path.items() if options.include_drafts or not getattr(document, "is_draft", False)}
        suppressed = _suppressed_pairs(documents)
        pins = _pins(documents)
        wanted_back = _wanted_back(documents, candidates, pins, suppressed, linkable, options)
        return cls(by_path, {path: document.url for path, document in by_path.items()}, linkable, suppressed, pins, wanted_back, options)

    def choose(self, document: Document, candidates: dict[str, list[tuple[float, str]]]) -> Related:
        return _choose(
            document, candidates[document.path], self.pins[document.path], self.wanted_back.get(document.path, {}),
            self.by_path, self.urls, self.linkable, self.suppressed, self.options,
        )

    def differences(self, other: _LinkContext) -> set[str]:
        """Pages whose links may differ between the two contexts for the same candidates."""
        changed = {path for path in self.wanted_back.keys() | other.wanted_back.keys() if self.wanted_back.get(path) != other.wanted_back.get(path)}
        changed |= {path for pair in self.suppressed ^ other.suppressed for path in pair}
        changed |= {path for path in self.pins if self.pins[path] != other.pins.get(path)}
        return changed | (self.linkable ^ other.linkable)


def _by_score(candidate: tuple[float, str]) -> tuple[float, str]:
    """Best first, ties by path: the order ``_ranked_candidates`` gives."""
    return -candidate[0], candidate[1]


def _candidates_kept(options: LinkSettings) -> int:
    """Candidates kept per page: enough to fill both lists after pins, suppressions and drafts."""
    return (options.max_articles + options.max_threads) * 3 + 10


def _links_key(corpus: Corpus, documents: Sequence[Document], options: LinkSettings) -> str:
    """Changes when any page, category title or setting changes (scores depend on the whole corpus)."""
    digest = hashlib.sha256(f"{LINKS_VERSION}\n{options!r}".encode())
    for document in documents:
        digest.update(content_hash(document, corpus).encode())
    return digest.hexdigest()


def _read_links(cache_dir: Path | None, key: str) -> dict[str, Related] | None:
    stored = _read_cached(cache_dir, LINKS_FILE, key)
    if stored is None:
        return None
    try:
        return {
            path: Related(*(tuple(RelatedLink(*link) for link in related[group]) for group in ("articles", "threads")))
            for path, related in stored.items()
        }
    except (TypeError, KeyError, AttributeError):
        return None


def _write_links(cache_dir: Path | None, key: str, links: dict[str, Related]) -> None:
    def rows(group: tuple[RelatedLink, ...]) -> list[tuple[str, str, str, str, float]]:
        return [(link.path, link.title, link.url, link.kind, link.score) for link in group]

    _write_cached(cache_dir, LINKS_FILE, key, {path: {"articles": rows(related.articles), "threads": rows(related.threads)} for path, related in links.items()})


def _read_cached(cache_dir: Path | None, name: str, key: str) -> object | None:
    """What ``_write_cached`` stored under ``name`` for ``key``; None if missing, damaged or for another key."""
    if cache_dir is None:
        return None
    try:
        stored = json.loads((Path(cache_dir) / name).read_text(encoding="utf-8"))
        return stored["value"] if stored.get("key") == key else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_cached(cache_dir: Path | None, name: str, key: str, value: object) -> None:
    """Write beside the target then rename: a crash never leaves a half-written file."""
    if cache_dir is None:
        return
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=cache_dir)
    except OSError as error:
        log.warning("cannot write the cache file %s in %s (%s)", name, cache_dir, error)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"key": key, "value": value}, stream, ensure_ascii=False)
        os.replace(temporary, Path(cache_dir) / name)
    except OSError as error:
        log.warning("cannot write the cache file %s in %s (%s)", name, cache_dir, error)
        Path(temporary).unlink(missing_ok=True)


def _ranked_candidates(model: RelatednessModel, documents: Sequence[Document], options: LinkSettings) -> Iterator[tuple[str, list[tuple[float, str]]]]:
    """For each page, the pages scoring at least the threshold, best first, ties by path."""
    keep = _candidates_kept(options)
    count = len(documents)
    for start in range(0, count, BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, count)))
        for offset, row in enumerate(block):
            own = start + offset
            row[own] = -1.0
            above = np.flatnonzero(row >= options.threshold)
            # Documents are sorted by path, so a stable sort on the score breaks ties by path.
            best = above[np.argsort(-row[above], kind="stable")][:keep]
            yield documents[own].path, [(float(row[index]), documents[index].path) for index in best]


def _suppressed_pairs(documents: Sequence[Document]) -> set[tuple[str, str]]:
    """Pairs never linked: a writer's ``unrelated:`` on either page suppresses both directions."""
    pairs = set()
    for document in documents:
        for other in document.unrelated:
            pairs.add((document.path, other))
            pairs.add((other, document.path))
    return pairs


def _pins(documents: Sequence[Document]) -> dict[str, list[str]]:
    """Pages each page must link to: the writer's ``related:``, then threads its source forum linked."""
    source_to_path = {document.source: document.path for document in documents if isinstance(document, Thread) and document.source}
    pins = {}
    for document in documents:
        pinned = list(document.related)
        if isinstance(document, Thread):
            pinned += [source_to_path[url] for url in (*document.links.duplicates, *document.links.related) if url in source_to_path]
        pins[document.path] = list(dict.fromkeys(pinned))
    return pins


def _wanted_back(
    documents: Sequence[Document],
    candidates: dict[str, list[tuple[float, str]]],
    pins: dict[str, list[str]],
    suppressed: set[tuple[str, str]],
    linkable: set[str],
    options: LinkSettings,
) -> dict[str, dict[str, float]]:
    """Pages that should link back: B lists A strongly (A in B's top few, or pinned by B) => A lists B."""
    by_path = {document.path: document for document in documents}
    wanted: dict[str, dict[str, float]] = {}
    for document in documents:
        if document.path not in linkable:
            continue
        scores = dict((path, score) for score, path in candidates[document.path])
        for kind in ("article", "thread"):
            top = [path for _, path in candidates[document.path] if by_path[path].kind == kind and (document.path, path) not in suppressed]
            for path in top[: options.reciprocal_rank]:
                wanted.setdefault(path, {})[document.path] = scores[path]
        for path in pins[document.path]:
            wanted.setdefault(path, {})[document.path] = scores.get(path, 0.0)
    return wanted


def _choose(
    document: Document,
    ranked: list[tuple[float, str]],
    pins: list[str],
    wanted_back: dict[str, float],
    by_path: dict[str, Document],
    urls: dict[str, str],
    linkable: set[str],
    suppressed: set[tuple[str, str]],
    options: LinkSettings,
) -> Related:
    """Pinned pages first (in the writer's order), then pages owed a link back, then the best others."""

    in_text = linked_in_text(document)

    def allowed(path: str) -> bool:
        return path != document.path and path in by_path and path in linkable and (document.path, path) not in suppressed

    def suggested(path: str) -> bool:
        # A page the text already links to is one click away, often behind a "this page is not about
        # that" note: the related list adds pages the writer did not link (like Wikipedia's "See also").
        return allowed(path) and path not in in_text

    scores = {path: score for score, path in ranked}
    scores.update((path, score) for path, score in wanted_back.items() if path not in scores)
    pinned = [path for path in pins if allowed(path)]
    owed = sorted((path for path in wanted_back if suggested(path) and path not in pinned), key=lambda path: (-scores[path], path))
    others = [path for _, path in ranked if suggested(path) and path not in pinned and path not in wanted_back]

    def listing(kind: str, limit: int) -> tuple[RelatedLink, ...]:
        chosen = [path for path in (*pinned, *owed, *others) if by_path[path].kind == kind][:limit]
        fixed = [path for path in chosen if path in pinned]
        ranked_rest = sorted((path for path in chosen if path not in pinned), key=lambda path: (-scores[path], path))
        return tuple(RelatedLink(path, by_path[path].title, urls[path], kind, round(scores.get(path, 0.0), 4)) for path in (*fixed, *ranked_rest))

    return Related(articles=listing("article", options.max_articles), threads=listing("thread", options.max_threads))


def linked_in_text(document: Document) -> frozenset[str]:
    """Content paths of the pages ``document``'s Markdown body links to (relative links to ``.md`` files)."""
    folder = posixpath.dirname(document.path)
    found = set()
    for target in _PAGE_LINK.findall(document.body):
        if "://" in target or target.startswith("/"):
            continue
        found.add(posixpath.normpath(posixpath.join(folder, target)))
    return frozenset(found)


def likely_duplicates(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> list[KbgenError]:
    """Warnings for pairs of articles that probably answer the same question, at one's title line.

    The warning goes on the draft of the pair if there is one, else on the later path.
    Lexical scores of the questions only (fast enough for every ``kbgen check``); a pair that a
    writer marked ``unrelated:`` is not reported. With ``cache_dir``, the warnings are kept there
    until an article's questions (or where its front matter ends) change.
    """
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    articles = sorted(corpus.articles, key=lambda article: article.path)
    if len(articles) < 2:
        return []
    digest = hashlib.sha256(f"{LINKS_VERSION}\n{options!r}".encode())
    for article in articles:
        digest.update(repr((article.path, article.title, article.questions, article.tags, article.status, article.unrelated, article.body_line)).encode())
    key = digest.hexdigest()
    cached = _read_cached(cache_dir, DUPLICATES_FILE, key)
    if isinstance(cached, list):
        return [KbgenError(*warning) for warning in cached]
    warnings = _likely_duplicates(corpus, articles, options)
    _write_cached(cache_dir, DUPLICATES_FILE, key, [astuple(warning) for warning in warnings])
    return warnings


def _likely_duplicates(corpus: Corpus, articles: list[Article], options: LinkSettings) -> list[KbgenError]:
    # Compared on their questions (title, variants, tags) only: a draft from ``kbgen mine`` has no answer yet.
    lexical = replace(options, question_weight=1.0, body_weight=0.0, answers_weight=0.0, questions=False, topics=False, semantic_model="")
    model = RelatednessModel(lexical).fit(articles)
    suppressed = _suppressed_pairs(articles)
    warnings = []
    for start in range(0, len(articles), BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, len(articles))))
        for offset, row in enumerate(block):
            later = start + offset
            earlier_matches = np.flatnonzero(row[:later] >= options.duplicate_threshold)
            if not len(earlier_matches):
                continue
            best = int(earlier_matches[np.argmax(row[earlier_matches])])
            article, first = articles[later], articles[best]
            if (article.path, first.path) in suppressed:
                continue
            if first.is_draft and not article.is_draft:
                # Warn on the draft: it is the newcomer that should be merged into the published one.
                article, first = first, article
            line, column = _title_location(corpus, article)
            warnings.append(
                KbgenError(
                    article.path,
                    f"likely duplicate of {first.path} ('{first.title}'), relatedness {row[best]:.2f}",
                    line,
                    column,
                    f"merge the two articles (keep this title as one of 'questions:'), or add 'unrelated: [{first.path}]' if they answer different questions",
                    severity="warning",
                )
            )
    return warnings


def _title_location(corpus: Corpus, document: Document) -> tuple[int, int]:
    try:
        return read_front_matter(read_text(corpus.root, document.path), document.path).location("title")
    except KbgenError:
        return (1, 1)



@dataclass(frozen=True)
class ExplainedLink:
    """One page related to another, with why: each signal's score and how it got on the list."""

    path: str
    title: str
    url: str
    kind: str
    score: float
    signals: dict[str, float]
    reason: str  # "pinned" | "links back" | "ranked" | and with show_all: "below threshold" | "linked in text" | "not listed"


def explain_related(corpus: Corpus, path: str, cache_dir: Path | None = None, *, show_all: bool = False, limit: int = 10, **settings: object) -> list[ExplainedLink]:
    """The pages related to ``path`` as the site lists them (``show_all``: every page, best first, ignoring the threshold)."""
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    by_path = {document.path: document for document in documents}
    if path not in by_path:
        raise KbgenError(path, "no such article or thread", hint="give the page's path inside the content folder, e.g. faq/billing/request-a-refund.md")
    model = ranking_model(options, cache_dir).fit(documents)
    row = model.position_[path]
    signals = {name: scores[0] for name, scores in model.signal_scores([row]).items()}
    fused = model.scores([row])[0]
    related = compute_links(corpus, cache_dir, **settings)[path]
    listed = [link.path for link in (*related.articles, *related.threads)]
    pins = _pins(documents)[path]
    in_text = linked_in_text(by_path[path])

    def reason(other: str) -> str:
        if other in listed:
            return "pinned" if other in pins else ("ranked" if fused[model.position_[other]] >= options.threshold and other not in in_text else "links back")
        if other in in_text:
            return "linked in text"
        return "below threshold" if fused[model.position_[other]] < options.threshold else "not listed"

    if show_all:
        order = [model.paths_[index] for index in np.lexsort((np.arange(len(fused)), -fused)) if model.paths_[index] != path][:limit]
    else:
        order = listed[:limit]
    return [
        ExplainedLink(
            other, by_path[other].title, by_path[other].url, by_path[other].kind, round(float(fused[model.position_[other]]), 4),
            {name: round(float(values[model.position_[other]]), 4) for name, values in signals.items()}, reason(other),
        )
        for other in order
    ]
