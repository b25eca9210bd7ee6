from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.engines import DEFAULT_ENGINE, ENGINES, serve


@click.command("serve")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="MkDocs config (default: ./mkdocs.yml).")
@click.option("-a", "--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on (default: 127.0.0.1:8000).")
@click.option("--drafts", is_flag=True, help="Show draft articles too.")
@click.option("-e", "--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True, help="What builds the site: MkDocs with the kbgen plugin, or Zensical on kbgen's staged docs tree.")
def command(config_file: Path | None, dev_addr: str | None, drafts: bool, engine: str) -> None:
    """Serve the site locally and rebuild it when content changes."""
    with reported_errors():
        serve(config_file, engine=engine, dev_addr=dev_addr, drafts=drafts)
