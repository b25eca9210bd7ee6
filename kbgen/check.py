"""Rules that span files: duplicate slugs and questions, broken links, unknown pinned pages, likely duplicate articles.

``check_tree`` is what ``kbgen check`` and the MkDocs plugin run: the loader's per-file problems
plus these, in one sorted list.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Any

from kbgen.cachefile import read_cached, write_cached
from kbgen.errors import KbgenError, sorted_problems
from kbgen.frontmatter import read_front_matter
from kbgen.load import LoadCache, load_corpus, read_text
from kbgen.model import Article, Corpus, Document
from kbgen.schema import did_you_mean

# Linear in the line's length (1 MB of '[' took minutes): link text stops at '[', and the target
# and title stop at "](", where the next link could start; the target found is the same.
_INLINE_LINK = re.compile(r"!?\[[^\[\]\n]*\]\(\s*<?((?:(?!\]\()[^)\s>])+)>?(?:\s+[\"'(](?:(?!\]\()[^)])*)?\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

# ``likely_duplicates``: lexical relatedness (kbgen.rank) of two articles' questions from which they are reported.
DUPLICATE_THRESHOLD = 0.75
# Bump when the ranking's lexical scores change: cached warnings of another version are computed again.
DUPLICATES_VERSION = 5
DUPLICATES_FILE = "likely-duplicates.json"
# Rows of the similarity matrix scored at once: bounds memory at BLOCK_ROWS x articles floats.
BLOCK_ROWS = 512


def check_tree(root: Path, *, cache: LoadCache | None = None, cache_dir: Path | None = None) -> tuple[Corpus, list[KbgenError]]:
    """Load and check a content tree; return the corpus and every problem, sorted.

    ``cache`` keeps parsed files between loads; ``cache_dir`` keeps the likely-duplicate scores between runs.
    """
    corpus, problems = load_corpus(root, cache)
    return corpus, sorted_problems([*problems, *check_corpus(corpus, cache_dir=cache_dir)])


def check_corpus(corpus: Corpus, *, cache_dir: Path | None = None) -> list[KbgenError]:
    return [
        *duplicate_slugs(corpus),
        *duplicate_questions(corpus),
        *broken_links(corpus),
        *unknown_pinned_pages(corpus),
        *likely_duplicates(corpus, cache_dir=cache_dir),
    ]


def likely_duplicates(corpus: Corpus, cache_dir: Path | None = None, *, threshold: float = DUPLICATE_THRESHOLD) -> list[KbgenError]:
    """Warnings for pairs of articles that probably answer the same question, at one's title line.

    The warning goes on the draft of the pair if there is one, else on the later path.
    Lexical scores of the questions only (fast enough for every ``kbgen check``); a pair that a
    writer marked ``unrelated:`` is not reported. With ``cache_dir``, the warnings are kept there
    until an article's questions (or where its front matter ends) change, and the ranking (numpy,
    scipy) is imported only when they did.
    """
    articles = sorted(corpus.articles, key=lambda article: article.path)
    if len(articles) < 2:
        return []
    digest = hashlib.sha256(f"{DUPLICATES_VERSION}\n{threshold!r}".encode())
    for article in articles:
        digest.update(repr((article.path, article.title, article.questions, article.tags, article.status, article.unrelated, article.body_line)).encode())
    key = digest.hexdigest()
    cached = read_cached(cache_dir, DUPLICATES_FILE, key)
    if isinstance(cached, list):
        return [KbgenError(*warning) for warning in cached]
    warnings = _likely_duplicates(corpus, articles, threshold)
    write_cached(cache_dir, DUPLICATES_FILE, key, [astuple(warning) for warning in warnings])
    return warnings


def _question_model(articles: Sequence[Article]) -> Any:
    """The relatedness ``likely_duplicates`` reports from: articles compared on their questions (title, variants,
    tags) only, since a draft from ``kbgen mine`` has no answer yet."""
    # Imported here: numpy and scipy take longer to load than the other rules take to run.
    from kbgen.rank import RankSettings, RelatednessModel

    lexical = RankSettings(question_weight=1.0, body_weight=0.0, answers_weight=0.0, questions=False, topics=False, semantic_model="")
    return RelatednessModel(lexical).fit(articles)


def duplicate_relatedness(articles: Sequence[Article], newcomers: Sequence[Article]) -> Any:
    """The relatedness ``kbgen check`` would find between each newcomer (a row) and each of ``articles`` (a column),
    once the newcomers join them: how ``kbgen mine`` learns, before writing a draft, that check would call it a
    likely duplicate of a published article (relatedness at or above ``DUPLICATE_THRESHOLD``, no ``unrelated:``)."""
    import numpy as np

    if not newcomers or not articles:
        return np.zeros((len(newcomers), len(articles)))
    model = _question_model([*articles, *newcomers])
    return model.scores(slice(len(articles), len(articles) + len(newcomers)))[:, : len(articles)]


def duplicate_pairs(articles: Sequence[Article], threshold: float = DUPLICATE_THRESHOLD) -> list[tuple[Article, Article, float]]:
    """Every pair ``kbgen check`` reports as likely duplicates among ``articles``: (the article warned, the one it
    copies, their relatedness). Each article is compared with those before it by path, and warned of the closest
    one at or above ``threshold`` unless a writer's ``unrelated:`` suppresses that pair; in a draft/published pair
    the draft is the one warned. ``kbgen mine`` asks this of the drafts it is about to write."""
    import numpy as np

    articles = sorted(articles, key=lambda article: article.path)
    if len(articles) < 2:
        return []
    model = _question_model(articles)
    suppressed = suppressed_pairs(articles)
    pairs = []
    for start in range(0, len(articles), BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, len(articles))))
        for offset, row in enumerate(block):
            later = start + offset
            earlier_matches = np.flatnonzero(row[:later] >= threshold)
            if not len(earlier_matches):
                continue
            best = int(earlier_matches[np.argmax(row[earlier_matches])])
            article, first = articles[later], articles[best]
            if (article.path, first.path) in suppressed:
                continue
            if first.is_draft and not article.is_draft:
                # Warn on the draft: it is the newcomer that should be merged into the published one.
                article, first = first, article
            pairs.append((article, first, float(row[best])))
    return pairs


def _likely_duplicates(corpus: Corpus, articles: list[Article], threshold: float) -> list[KbgenError]:
    warnings = []
    for article, first, relatedness in duplicate_pairs(articles, threshold):
        line, column = _title_location(corpus, article)
        warnings.append(
            KbgenError(
                article.path,
                f"likely duplicate of {first.path} ('{first.title}'), relatedness {relatedness:.2f}",
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


def suppressed_pairs(documents: Sequence[Document]) -> set[tuple[str, str]]:
    """Pairs never linked nor reported as duplicates: a writer's ``unrelated:`` on either page suppresses both directions."""
    pairs = set()
    for document in documents:
        for other in document.unrelated:
            pairs.add((document.path, other))
            pairs.add((other, document.path))
    return pairs


@functools.lru_cache(maxsize=65536)  # kbgen serve checks the same questions on every rebuild
def normalize_question(text: str) -> str:
    """Case, accents, punctuation and spacing removed: two writers' copies of one question match."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def duplicate_slugs(corpus: Corpus) -> Iterator[KbgenError]:
    for kind, documents in (("article", corpus.articles), ("thread", corpus.threads)):
        first_by_slug: dict[str, Document] = {}
        for document in sorted(documents, key=lambda item: item.path):
            first = first_by_slug.setdefault(document.slug, document)
            if first is not document:
                yield KbgenError(
                    document.path,
                    f"duplicate slug '{document.slug}': {first.path} has the same file name",
                    hint=f"rename one of them; each {kind} needs a unique file name",
                )


def duplicate_questions(corpus: Corpus) -> Iterator[KbgenError]:
    """The same customer question listed on two articles: search could not tell which answers it."""
    owner: dict[str, tuple[Article, str]] = {}
    for article in sorted(corpus.articles, key=lambda item: item.path):
        seen_here: set[str] = set()
        for index, question in enumerate(article.question_variants):
            key = normalize_question(question)
            if not key or key in seen_here:
                continue
            seen_here.add(key)
            if key in owner:
                first, first_text = owner[key]
                line, column = _question_location(corpus, article, index)
                yield KbgenError(
                    article.path,
                    f"question {question!r} is also asked on {first.path} ({first_text!r})",
                    line,
                    column,
                    "keep each customer question on the one article that answers it",
                )
            else:
                owner[key] = (article, question)


def _question_location(corpus: Corpus, article: Article, index: int) -> tuple[int, int]:
    front_matter = read_front_matter(read_text(corpus.root, article.path), article.path)
    return front_matter.location("title") if index == 0 else front_matter.location("questions", index - 1)


def iter_links(body: str, first_line: int) -> Iterator[tuple[str, int, int]]:
    """Relative link targets in Markdown text, with line and column, skipping fenced code."""
    for target, line, column in _relative_links(body):
        yield target, first_line + line, column


@functools.lru_cache(maxsize=65536)  # kbgen serve checks the same bodies on every rebuild
def _relative_links(body: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(_scan_links(body, 0))


def _scan_links(body: str, first_line: int) -> Iterator[tuple[str, int, int]]:
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        matches = [(match.group(1), match.start(1)) for match in _INLINE_LINK.finditer(line)]
        reference = _REFERENCE_LINK.match(line)
        if reference:
            matches.append((reference.group(1), reference.start(1)))
        for target, column in matches:
            if not _SCHEME.match(target) and not target.startswith(("#", "/")):
                yield target, first_line + offset, column + 1


def broken_links(corpus: Corpus) -> Iterator[KbgenError]:
    drafts = {article.path for article in corpus.articles if article.is_draft}
    rejected = {article.path for article in corpus.rejected}
    sources = [*((page.path, page.body, page.body_line, False) for page in corpus.pages)]
    sources += [(article.path, article.body, article.body_line, article.is_draft) for article in corpus.articles]
    sources += [(thread.path, thread.body, thread.body_line, False) for thread in corpus.threads]
    for thread in corpus.threads:
        sources += [(thread.path, answer.body, answer.line, False) for answer in thread.answers]
    for path, body, first_line, is_draft in sources:
        for target, line, column in iter_links(body, first_line):
            file_part = target.split("#", 1)[0].split("?", 1)[0]
            if not file_part.endswith(".md"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), file_part))
            if resolved.startswith("../") or not (corpus.root / resolved).is_file():
                yield KbgenError(path, f"broken link to '{target}': no such page", line, column, "link to an existing .md file, relative to this file")
            elif resolved in rejected:
                yield KbgenError(path, f"link to rejected draft '{target}' will be broken: a rejected draft is never published", line, column, "remove the link, or set that draft's status to draft or published")
            elif resolved in drafts and not is_draft:
                yield KbgenError(path, f"link to draft '{target}' will be broken in the published site", line, column, "publish that article or remove the link", severity="warning")


def unknown_pinned_pages(corpus: Corpus) -> Iterator[KbgenError]:
    known = corpus.by_path()
    rejected = {article.path for article in corpus.rejected}
    for document in corpus.documents():
        for key in ("related", "unrelated"):
            for index, target in enumerate(getattr(document, key)):
                if target not in known and not (key == "unrelated" and target in rejected):  # never linked anyway
                    front_matter = read_front_matter(read_text(corpus.root, document.path), document.path)
                    line, column = front_matter.location(key, index)
                    if target in rejected:
                        yield KbgenError(document.path, f"'related' names '{target}', a rejected draft, which is never published", line, column, "remove it, or set that draft's status to draft or published")
                        continue
                    yield KbgenError(document.path, f"'{key}' names '{target}', which is not an article or thread", line, column, _suggest_path(target, sorted(known)) or "use the path under the content folder, e.g. faq/billing/change-plan.md")


def _suggest_path(target: str, known: list[str]) -> str:
    """'did you mean' for a content path, judged on the file name so a shared folder does not count."""
    by_name: dict[str, str] = {}
    for path in known:
        by_name.setdefault(posixpath.basename(path), path)
    suggestion = did_you_mean(posixpath.basename(target), list(by_name))
    if not suggestion:
        return ""
    return f"did you mean '{by_name[suggestion.split(chr(39))[1]]}'?"


def link_sources(corpus: Corpus) -> Iterator[tuple[str, str, int]]:
    """Every Markdown text of the corpus that may hold links: (path of its file, text, line it starts on)."""
    for document in (*corpus.pages, *corpus.articles, *corpus.threads):
        yield document.path, document.body, document.body_line
    for thread in corpus.threads:
        for answer in thread.answers:
            yield thread.path, answer.body, answer.line


def resolve_link(source_path: str, target: str) -> str | None:
    """The content path a relative ``.md`` link of ``source_path`` points to (``None`` for other links), as ``broken_links`` resolves it."""
    file_part = target.split("#", 1)[0].split("?", 1)[0]
    if not file_part.endswith(".md"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_path), file_part))


def pages_linking_to(corpus: Corpus, targets: set[str] | frozenset[str]) -> set[str]:
    """Paths of the files whose Markdown links, or whose ``related``/``unrelated``, name one of ``targets`` (present or deleted)."""
    linking = {
        path
        for path, body, first_line in link_sources(corpus)
        if any(resolve_link(path, target) in targets for target, _line, _column in iter_links(body, first_line))
    }
    linking.update(document.path for document in corpus.documents() if targets.intersection((*document.related, *document.unrelated)))
    return linking
