"""``kbgen related PAGE``: the pages related to one page, with their scores and the signals behind them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import content_dir_option, default_cache_dir
from kbgen.cli.search import load_searchable, semantic_option
from kbgen.link import explain_related


def content_path(page: str, content_dir: Path) -> str:
    """PAGE as a path inside the content folder: given as such, or as a file path under it."""
    candidate = Path(page)
    try:
        return candidate.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return candidate.as_posix()


@click.command("related")
@click.argument("page")
@content_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (path, title, url, kind, score, signals, reason).")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Most pages to show.")
@click.option("--all", "show_all", is_flag=True, help="Rank every page, ignoring the threshold (see why a page is not linked).")
@semantic_option
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Cache folder (default: .kbgen/ beside mkdocs.yml).")
def command(page: str, content_dir: Path, as_json: bool, limit: int, show_all: bool, semantic_model: str, cache_dir: Path | None) -> None:
    """Show the articles and threads related to PAGE (e.g. faq/billing/request-a-refund.md), as the site lists them.

    Each line gives the relatedness (0..1), each signal's score (lexical, questions, topics, semantic)
    and why the page is listed: pinned by a writer (related:), ranked above the threshold, or
    linking back. With --all, every page in order, including those below the threshold.
    """
    with reported_errors():
        corpus = load_searchable(content_dir)
        links = explain_related(
            corpus, content_path(page, content_dir), cache_dir or default_cache_dir(content_dir),
            show_all=show_all, limit=limit, semantic_model=semantic_model,
        )
    if as_json:
        click.echo(json.dumps([asdict(link) for link in links], ensure_ascii=False, indent=2))
        return
    if not links:
        click.echo(f"no related pages above the threshold for {page}; try --all", err=True)
        return
    for rank, link in enumerate(links, start=1):
        signals = ", ".join(f"{name} {value:.2f}" for name, value in link.signals.items())
        click.echo(f"{rank}. {click.style(link.title, bold=True)}  [{link.kind}]  score {link.score:.2f}  {link.reason}  ({signals})")
        click.echo(f"   {link.path}  ->  {link.url}")
