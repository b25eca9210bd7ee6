from __future__ import annotations

from pathlib import Path

import click

from kbgen.build import serve_site
from kbgen.cli.errors import reported_errors


@click.command("serve")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="MkDocs config (default: ./mkdocs.yml).")
@click.option("-a", "--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on (default: 127.0.0.1:8000).")
@click.option("--drafts", is_flag=True, help="Show draft articles too.")
def command(config_file: Path | None, dev_addr: str | None, drafts: bool) -> None:
    """Serve the site locally and rebuild it when content changes."""
    with reported_errors():
        serve_site(config_file, dev_addr=dev_addr, drafts=drafts)
