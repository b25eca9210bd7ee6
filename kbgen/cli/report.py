from __future__ import annotations

from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.mine import default_report
from kbgen.cli.project import default_content_dir


@click.command("report")
@click.argument("report_json", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many groups to list.")
def command(report_json: Path | None, top: int) -> None:
    """Print the summary of the last mining report (default: .kbgen/report.json)."""
    from kbgen.mine.report import load_report, summary_lines  # imported here: it loads scikit-learn

    path = report_json or default_report(default_content_dir()).with_suffix(".json")
    with reported_errors():
        data = load_report(path)
    for line in summary_lines(data, top=top):
        click.echo(line)
