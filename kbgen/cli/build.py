from __future__ import annotations

import time
from pathlib import Path

import click

from kbgen.build import build_site
from kbgen.cli.errors import reported_errors


@click.command("build")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="MkDocs config (default: ./mkdocs.yml).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder (default: site_dir of the config).")
@click.option("--drafts", is_flag=True, help="Include draft articles.")
@click.option("-s", "--strict", is_flag=True, help="Fail on MkDocs warnings.")
def command(config_file: Path | None, site_dir: Path | None, drafts: bool, strict: bool) -> None:
    """Build the site; the previous site folder is replaced only if the build succeeds."""
    started = time.perf_counter()
    with reported_errors():
        target = build_site(config_file, site_dir=site_dir, drafts=drafts, strict=strict)
    click.echo(f"built {target} in {time.perf_counter() - started:.1f} s")
