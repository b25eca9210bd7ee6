from __future__ import annotations

from pathlib import Path

import click

from kbgen.ci import CI_SYSTEMS
from kbgen.cli.errors import reported_errors
from kbgen.scaffold import init_project


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--ci", type=click.Choice(CI_SYSTEMS), default="github", show_default=True, help="CI workflow to write: GitHub Actions + Pages, GitLab CI + Pages, or none.")
def command(directory: Path, ci: str) -> None:
    """Create a new help center in DIRECTORY: mkdocs.yml, categories, a first article and a CI workflow."""
    with reported_errors():
        written = init_project(directory, ci)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"Next: cd {directory} && kbgen check && kbgen serve")
