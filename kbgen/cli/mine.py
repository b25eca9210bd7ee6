from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import content_dir_option, default_cache_dir
from kbgen.index import open_index
from kbgen.load import load_corpus
from kbgen.mine.readers import FORMATS
from kbgen.project import REPORT_FILE
from kbgen.semantic import load_encoder

log = logging.getLogger("kbgen.cli.mine")


def default_report(content_dir: Path) -> Path:
    """Reports live in the project's cache folder (``.kbgen/report.html`` unless mkdocs.yml sets cache_dir)."""
    return default_cache_dir(content_dir) / REPORT_FILE


@click.command("mine")
@click.argument("logs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "log_format", type=click.Choice(FORMATS), default="auto", show_default=True, help="Format of the logs.")
@click.option("--text-column", default=None, help="Column (or JSON key) holding the question (default: guessed).")
@click.option("--time-column", default=None, help="Column (or JSON key) holding when it was asked (default: guessed).")
@content_dir_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder for drafts, one sub-folder per category (default: <content>/faq).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="HTML report to write; report.json goes beside it (default: .kbgen/report.html).")
@click.option("--assignments", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write a CSV 'row,cluster' (0-based input order; -1 = noise).")
@click.option("--update-asked", is_flag=True, help="Set 'asked' on the published articles that cover a group.")
@click.option("--no-drafts", is_flag=True, help="Report only; write no draft articles.")
@click.option("--min-group-size", type=click.IntRange(min=2), default=3, show_default=True, help="Smallest number of questions that makes a group.")
@click.option("--sample-size", type=click.IntRange(min=100), default=20_000, show_default=True, help="Questions grouped directly; the rest are assigned to their groups.")
@click.option("--semantic-model", default=None, help="A local sentence-transformers model (folder or installed package) to group by meaning; needs kbgen[semantic].")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of sampling and grouping.")
def command(
    logs: tuple[Path, ...],
    log_format: str,
    text_column: str | None,
    time_column: str | None,
    content_dir: Path,
    out_dir: Path | None,
    report_path: Path | None,
    assignments: Path | None,
    update_asked: bool,
    no_drafts: bool,
    min_group_size: int,
    sample_size: int,
    semantic_model: str | None,
    seed: int,
) -> None:
    """Group the questions in LOG files, rank them, match them to articles, write drafts and a report.

    LOG files are CSV, JSON lines, plain text (one question per line), a Zendesk tickets export
    (JSON), a Freshdesk tickets export (CSV) or the help center's events (kbgen collect), optionally
    gzipped. Personal data is masked
    before anything is written. Drafts for uncovered groups go to <content>/faq/<category>/;
    re-running updates the drafts it wrote and leaves edited ones alone.
    """
    # Imported here: they load scikit-learn, which would slow the start of every other command.
    from kbgen.mine.pipeline import MineSettings, mine
    from kbgen.mine.report import report_data, summary_lines, write_report
    from kbgen.mine.site_events import (
        EventTrackingReader,
        apply_feedback,
        holds_events,
        read_assignments,
        read_events,
        tally_events,
    )

    with reported_errors(), tempfile.TemporaryDirectory(prefix="kbgen-mine-") as scratch:
        reader = EventTrackingReader(logs, log_format=log_format, text_column=text_column, time_column=time_column)
        corpus, problems = load_corpus(content_dir)
        errors = [problem for problem in problems if problem.is_error]
        if errors:
            log.warning("%d problem(s) in %s; mining against the readable articles (run 'kbgen check')", len(errors), content_dir)
        index = open_index(corpus, cache_dir=default_cache_dir(content_dir)) if corpus.articles else None
        settings = MineSettings(
            sample_size=sample_size,
            min_group_size=min_group_size,
            random_state=seed,
            progress=sys.stderr.isatty(),
            encoder=load_encoder(semantic_model),
            cache_dir=default_cache_dir(content_dir),
        )
        # The help center's events need the grouping of each failed search: read back from the assignments.
        events = holds_events(logs, log_format)
        grouped = assignments or (Path(scratch) / "assignments.csv" if events else None)
        summary = mine(
            reader,
            corpus,
            index,
            out_dir=out_dir,
            settings=settings,
            assignments=grouped,
            update_asked=update_asked,
            write_drafts=not no_drafts,
        )
        site = None
        if events and grouped is not None:
            summary, site = apply_feedback(summary, tally_events(read_events(reader.event_paths)), reader.search_rows, read_assignments(grouped))
        html_path, json_path = write_report(summary, report_path or default_report(content_dir), site)
    for line in summary_lines(report_data(summary, site)):
        click.echo(line)
    if assignments is not None:
        click.echo(f"assignments: {assignments}")
    click.echo(f"report: {html_path} (data: {json_path})")
