from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors, require_path
from kbgen.cli.project import default_content_dir
from kbgen.community.categories import parse_category_map
from kbgen.community.sources import READERS
from kbgen.community.store import ImportOptions, import_threads
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR


@click.command("import")
@click.argument("forum", type=click.Choice(sorted(READERS)))
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None, help="Community folder to write to (default: <content>/community).")
@click.option("-c", "--category", default=None, help="Category for every thread (default: mapped, else the forum's own category, else one named after the forum; added to categories.yml if new).")
@click.option("--category-map", "category_map", multiple=True, metavar="FORUM=CATEGORY", help="Put threads with this forum tag, Discourse category id or GitHub category in CATEGORY; repeatable, first match wins.")
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
    category_map: tuple[str, ...],
    site_url: str | None,
    min_score: int | None,
    solved_only: bool,
    include_unanswered: bool,
    limit: int | None,
) -> None:
    """Import FORUM threads from SOURCE (an export file or folder) as Markdown threads.

    FORUM is stackexchange (a data dump's Posts.xml[.gz] or its folder), discourse (topic JSON)
    or github-discussions (GraphQL JSON). Re-importing updates threads in place and leaves
    threads marked 'locked: true' alone. A category the importer picks itself and categories.yml
    does not declare yet is added there (a name one letter off a declared one is refused as a typo).
    """
    target = into or default_content_dir() / COMMUNITY_DIR
    with reported_errors():
        options = ImportOptions(
            category=category, category_map=parse_category_map(category_map), min_score=min_score,
            solved_only=solved_only, include_unanswered=include_unanswered, limit=limit,
        )  # fmt: skip
        require_path(source, "export file or folder")
        report = import_threads(READERS[forum](source, site_url), target, options)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for added in report.categories_added:
        click.echo(f"{target.parent / CATEGORIES_FILE}: added category '{added.slug}' ({added.title}); edit its title and description there")
    click.echo(f"{target}: {report.summary_line()}")
