from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors, require_path
from kbgen.community.promote import promote_thread


@click.command("promote")
@click.argument("thread_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-c", "--category", default=None, help="FAQ category for the draft (default: the thread's category).")
def command(thread_path: Path, category: str | None) -> None:
    """Turn the solved thread THREAD_PATH into an FAQ draft (status: draft) beside the other articles."""
    with reported_errors():
        require_path(thread_path, "thread file")
        article = promote_thread(thread_path, category)
    click.echo(f"created {article} (draft): review it, then set 'status: published'")
