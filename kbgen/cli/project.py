"""The CLI's view of the project (kbgen.project): the docs_dir and cache_dir of ./mkdocs.yml, else ./content and ./.kbgen."""

from __future__ import annotations

from pathlib import Path

import click

from kbgen.errors import KbgenError
from kbgen.project import CONFIG_FILE, Project


def current_project(config_file: Path = Path(CONFIG_FILE)) -> Project:
    """The project of ``config_file``; a config that cannot be read stops the command with ``file:line: message``."""
    try:
        return Project.load(config_file)
    except KbgenError as error:
        raise click.ClickException(error.format()) from None


def default_content_dir(config_file: Path = Path(CONFIG_FILE)) -> Path:
    return current_project(config_file).docs_dir


def default_cache_dir(content_dir: Path, config_file: Path = Path(CONFIG_FILE)) -> Path:
    """The cache_dir of ./mkdocs.yml when ``content_dir`` is in that project, else ``.kbgen/`` beside the content."""
    return current_project(config_file).for_content(content_dir).cache_dir


def content_dir_option(function):
    return click.option(
        "--content-dir",
        "content_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=lambda _ctx, _param, value: value or default_content_dir(),
        help="Content folder (default: docs_dir of ./mkdocs.yml, else ./content).",
    )(function)
