from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.scaffold import init_project


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
def command(directory: Path) -> None:
    """Create a new help center in DIRECTORY: mkdocs.yml, categories and a first article."""
    with reported_errors():
        written = init_project(directory)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"Next: cd {directory} && kbgen check && kbgen serve")
