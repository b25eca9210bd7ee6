from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors, require_path
from kbgen.cli.project import default_content_dir
from kbgen.community.sources import READERS
from kbgen.community.store import ImportOptions, import_threads
from kbgen.load import COMMUNITY_DIR


@click.command("import")
@click.argument("forum", type=click.Choice(sorted(READERS)))
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None, help="Community folder to write to (default: <content>/community).")
@click.option("-c", "--category", default=None, help="Category folder for every thread (default: the forum's own category, else 'general').")
@click.option("--site-url", default=None, help="The forum's address, for source links (default: guessed from the export).")
@click.option("--min-score", type=int, default=None, help="Skip questions with fewer votes.")
@click.option("--solved-only", is_flag=True, help="Skip threads without an accepted answer.")
@click.option("--include-unanswered", is_flag=True, help="Import questions nobody answered too.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Import at most this many threads.")
def command(
    forum: str,
    source: Path,
    into: Path | None,
    category: str | None,
    site_url: str | None,
    min_score: int | None,
    solved_only: bool,
    include_unanswered: bool,
    limit: int | None,
) -> None:
    """Import FORUM threads from SOURCE (an export file or folder) as Markdown threads.

    FORUM is stackexchange (a data dump's Posts.xml[.gz] or its folder), discourse (topic JSON)
    or github-discussions (GraphQL JSON). Re-importing updates threads in place and leaves
    threads marked 'locked: true' alone.
    """
    target = into or default_content_dir() / COMMUNITY_DIR
    options = ImportOptions(category=category, min_score=min_score, solved_only=solved_only, include_unanswered=include_unanswered, limit=limit)
    with reported_errors():
        require_path(source, "export file or folder")
        report = import_threads(READERS[forum](source, site_url), target, options)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{target}: {report.summary_line()}")
