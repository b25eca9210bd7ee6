"""``kbgen search``: rank the help center's articles and threads for a query, as text or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import content_dir_option
from kbgen.errors import KbgenError
from kbgen.index import open_index
from kbgen.load import load_corpus
from kbgen.text import unique_terms

CACHE_DIR_NAME = ".kbgen"
_MARKED = re.compile(r"\*\*(.+?)\*\*")


def default_cache_dir(content_dir: Path, config_file: Path = Path("mkdocs.yml")) -> Path:
    """``.kbgen/`` beside mkdocs.yml (the project root) when the content is in that project, else beside the content."""
    project = config_file.resolve().parent
    if config_file.is_file() and content_dir.resolve().is_relative_to(project):
        return project / CACHE_DIR_NAME
    return content_dir.resolve().parent / CACHE_DIR_NAME


@click.command("search")
@click.argument("query", nargs=-1)
@content_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results (path, kind, title, url, score, snippet), best first.")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Most results to show.")
@click.option("--kind", type=click.Choice(["article", "thread"]), default=None, help="Only articles or only community threads.")
@click.option("--drafts", is_flag=True, help="Include draft articles.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Index folder (default: .kbgen/ beside mkdocs.yml).")
def command(query: tuple[str, ...], content_dir: Path, as_json: bool, limit: int, kind: str | None, drafts: bool, cache_dir: Path | None) -> None:
    """Search articles and threads for QUERY (plain words, as a customer would type them).

    The index is kept in .kbgen/ and updated on each run for the files that changed.
    Exits 2 when the query is empty, 1 when there is nothing to search.
    """
    text = " ".join(query).strip()
    if not text:
        raise click.UsageError('empty query; type what you are looking for, e.g. kbgen search "refund"')
    if not unique_terms([text]):
        raise click.UsageError(f"nothing to search for in {text!r}: it has only common words; add the words that matter")
    with reported_errors():
        corpus, problems = load_corpus(content_dir)
        fatal = [problem for problem in problems if problem.path == str(content_dir)]
        if fatal:
            raise fatal[0]
        if not corpus.articles and not corpus.threads:
            raise KbgenError(str(content_dir), "nothing to search: no articles or threads found", hint="add Markdown files under faq/<category>/ or community/<category>/")
        index = open_index(corpus, cache_dir or default_cache_dir(content_dir))
        hits = index.search(text, limit=limit, kind=kind, include_drafts=drafts)
    if as_json:
        click.echo(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"no results for {text!r}", err=True)
        return
    for rank, hit in enumerate(hits, start=1):
        click.echo(f"{rank}. {click.style(hit.title, bold=True)}  [{hit.kind}]  score {hit.score:.2f}")
        click.echo(f"   {hit.path}  ->  {hit.url}")
        click.echo(f"   {_MARKED.sub(lambda match: click.style(match.group(1), bold=True), hit.snippet)}")
