"""``kbgen search``: rank the help center's articles and threads for a query (or a file of queries), as text or JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import content_dir_option, default_cache_dir
from kbgen.errors import KbgenError
from kbgen.index import SearchIndex, open_index
from kbgen.load import load_corpus
from kbgen.model import Corpus, Document
from kbgen.rank import PageSearch, RankedPage
from kbgen.semantic import load_encoder
from kbgen.text import plain_text, unique_terms

SNIPPET_LENGTH = 160
_MARKED = re.compile(r"\*\*(.+?)\*\*")


def load_searchable(content_dir: Path) -> Corpus:
    """The corpus under ``content_dir``; a KbgenError when the folder is unusable or holds no page."""
    corpus, problems = load_corpus(content_dir)
    fatal = [problem for problem in problems if problem.path == str(content_dir)]
    if fatal:
        raise fatal[0]
    if not corpus.articles and not corpus.threads:
        raise KbgenError(str(content_dir), "nothing to search: no articles or threads found", hint="add Markdown files under faq/<category>/ or community/<category>/")
    return corpus


def semantic_option(function):
    return click.option(
        "--semantic-model", default="", metavar="MODEL",
        help="Also rank by meaning with this sentence-transformers model (folder or installed package; needs kbgen[semantic]).",
    )(function)


def _opening(text: str) -> str:
    return text if len(text) <= SNIPPET_LENGTH else text[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + " …"


def hit_record(page: RankedPage, document: Document) -> dict[str, object]:
    """One result as JSON: the page, its fused score, the snippet, and each signal's rank and score."""
    snippet = getattr(page.hit, "snippet", "") or _opening(plain_text(document.body))
    return {
        "path": page.path, "kind": document.kind, "title": document.title, "url": document.url, "score": page.score,
        "snippet": snippet, "exact": page.exact,
        "signals": {name: {"rank": rank, "score": page.scores[name]} for name, rank in sorted(page.ranks.items())},
    }


def _check_query(text: str, where: str = "") -> None:
    if not text:
        raise click.UsageError('empty query; type what you are looking for, e.g. kbgen search "refund"')
    if not unique_terms([text]):
        raise click.UsageError(f"{where}nothing to search for in {text!r}: it has only common words; add the words that matter")


def _read_queries(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KbgenError(str(path), f"cannot read the queries file: {error}", hint="give a UTF-8 text file with one query per line") from error
    return [line.strip() for line in lines if line.strip()]


@click.command("search")
@click.argument("query", nargs=-1)
@content_dir_option
@click.option("--queries", "queries_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Read one query per line from this file and answer each (with --json: one JSON line per query).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of results (path, kind, title, url, score, snippet, exact, signals), best first.")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Most results to show.")
@click.option("--kind", type=click.Choice(["article", "thread"]), default=None, help="Only articles or only community threads.")
@click.option("--drafts", is_flag=True, help="Include draft articles.")
@semantic_option
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Index folder (default: .kbgen/ beside mkdocs.yml).")
def command(
    query: tuple[str, ...], content_dir: Path, queries_file: Path | None, as_json: bool, limit: int, kind: str | None, drafts: bool, semantic_model: str, cache_dir: Path | None
) -> None:
    """Search articles and threads for QUERY (plain words, as a customer would type them).

    Ranks by BM25F over the index (titles and question variants boosted; a page that lists the
    query as one of its questions comes first); a written-out question (8 words or more) also by
    its likeness to each page as related links measure it; with --semantic-model, by meaning too;
    the rankings fused by reciprocal rank. The index is kept in .kbgen/ and updated on each run
    for the files that changed. Exits 2 when the query is empty, 1 when there is nothing to search.
    """
    text = " ".join(query).strip()
    if queries_file is None:
        _check_query(text)
    elif text:
        raise click.UsageError("give either QUERY or --queries FILE, not both")
    with reported_errors():
        texts = [text] if queries_file is None else _read_queries(queries_file)
        corpus = load_searchable(content_dir)
        cache = cache_dir or default_cache_dir(content_dir)
        index = open_index(corpus, cache)
        search = PageSearch(list(corpus.documents()), index, load_encoder(semantic_model), cache)
        documents = {document.path: document for document in corpus.documents()}
        for number, query_text in enumerate(texts, start=1):
            results = _search(search, index, query_text, limit, kind, drafts)
            records = [hit_record(page, documents[page.path]) for page in results]
            if queries_file is not None and as_json:
                click.echo(json.dumps({"line": number, "query": query_text, "results": records}, ensure_ascii=False))
            elif as_json:
                click.echo(json.dumps(records, ensure_ascii=False, indent=2))
            else:
                _print_results(query_text, records, heading=queries_file is not None)


def _search(search: PageSearch, index: SearchIndex, text: str, limit: int, kind: str | None, drafts: bool) -> list[RankedPage]:
    if not unique_terms([text]):
        return []  # in a batch, a query of common words only has no results rather than stopping the batch
    return search.rank(text, limit=limit, kind=kind, include_drafts=drafts)


def _print_results(text: str, records: list[dict[str, object]], heading: bool) -> None:
    if heading:
        click.echo(click.style(f"# {text}", bold=True))
    if not records:
        click.echo(f"no results for {text!r}", err=True)
        return
    for rank, record in enumerate(records, start=1):
        signals = ", ".join(f"{name} #{value['rank']}" for name, value in record["signals"].items())  # type: ignore[union-attr]
        click.echo(f"{rank}. {click.style(str(record['title']), bold=True)}  [{record['kind']}]  score {record['score']:.4f}  ({signals})")
        click.echo(f"   {record['path']}  ->  {record['url']}")
        click.echo(f"   {_MARKED.sub(lambda match: click.style(match.group(1), bold=True), str(record['snippet']))}")
