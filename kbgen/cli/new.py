from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import content_dir_option
from kbgen.scaffold import new_document


@click.command("new")
@click.argument("kind", type=click.Choice(["faq", "thread"]))
@click.argument("title")
@click.option("-c", "--category", required=True, help="Category slug (a key of categories.yml).")
@content_dir_option
def command(kind: str, title: str, category: str, content_dir: Path) -> None:
    """Create a new FAQ article or community thread from TITLE, ready to edit."""
    if not title.strip():
        raise click.BadParameter('the title is empty; give the question in quotes, e.g. kbgen new faq "Reset your password" --category account', param_hint="TITLE")
    with reported_errors():
        path = new_document(content_dir, kind, title, category)
    click.echo(f"created {path}")
