from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import click

from kbgen.ci import SUMMARY_FILE, BuildLog, recorded_log, render_summary, summarize_build, summary_targets, write_summary
from kbgen.cli.errors import reported_errors
from kbgen.engines import DEFAULT_ENGINE, ENGINES, build, check_engine
from kbgen.project import REPORT_FILE, Project, find_config

log = logging.getLogger("kbgen.cli.build")


@click.command("build")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="MkDocs config (default: ./mkdocs.yml).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder (default: site_dir of the config).")
@click.option("--drafts", is_flag=True, help="Include draft articles.")
@click.option("-e", "--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True, help="What builds the site: MkDocs with the kbgen plugin, or Zensical on kbgen's staged docs tree.")
@click.option("-s", "--strict", is_flag=True, help="Fail on MkDocs warnings.")
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a Markdown summary of the build here (in CI it goes to $GITHUB_STEP_SUMMARY, else .kbgen/build-summary.md).",
)
def command(config_file: Path | None, site_dir: Path | None, drafts: bool, engine: str, strict: bool, summary_file: Path | None) -> None:
    """Build the site; the previous site folder is replaced only if the build succeeds.

    In CI (CI or GITHUB_STEP_SUMMARY set), or with --summary, a Markdown summary of the run is
    written too: pages, errors and warnings, drafts left out, broken links, coverage, site size.
    """
    started = time.perf_counter()
    with reported_errors():
        check_engine(engine)
        config_path = find_config(config_file)
        targets = summary_targets(os.environ, summary_file, Project.load(config_path).cache_path(SUMMARY_FILE))
        target, failure = None, ""
        with recorded_log("mkdocs", "kbgen") as build_log:
            try:
                target = build(config_path, engine=engine, site_dir=site_dir, drafts=drafts, strict=strict)
            except Exception as error:
                failure = str(error) or type(error).__name__
                raise
            finally:
                if targets:
                    try:
                        _write_summary(config_path, target, targets, started, build_log, drafts, failure)
                    except Exception as error:  # noqa: BLE001 - a summary that cannot be made must not fail the build or hide its error
                        log.warning("kbgen: no build summary (%s: %s)", type(error).__name__, error)
    click.echo(f"built {target} in {time.perf_counter() - started:.1f} s")


def _write_summary(config_path: Path, target: Path | None, targets: list[Path], started: float, build_log: BuildLog, drafts: bool, failure: str) -> None:
    project = Project.load(config_path)
    summary = summarize_build(
        project.docs_dir,
        target,
        cache_dir=project.cache_dir,
        report_json=project.cache_path(REPORT_FILE).with_suffix(".json"),
        seconds=time.perf_counter() - started,
        build_log=build_log,
        drafts_included=drafts,
        failure=failure,
    )
    write_summary(render_summary(summary), targets, os.environ)
    for path in targets:
        click.echo(f"build summary: {path}", err=True)
