"""Where the content lives: the docs_dir of ./mkdocs.yml, else ./content."""

from __future__ import annotations

from pathlib import Path

import click
import yaml


def default_content_dir(config_file: Path = Path("mkdocs.yml")) -> Path:
    if config_file.is_file():
        try:
            # MkDocs configs may hold !ENV and python tags; only docs_dir matters here.
            text = config_file.read_text(encoding="utf-8")
            for line in text.splitlines():
                if line.startswith("docs_dir:"):
                    value = yaml.safe_load(line.split(":", 1)[1]) or "docs"
                    return config_file.parent / str(value)
            return config_file.parent / "docs"
        except (OSError, yaml.YAMLError):
            pass
    return Path("content")


def content_dir_option(function):
    return click.option(
        "--content-dir",
        "content_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=lambda _ctx, _param, value: value or default_content_dir(),
        help="Content folder (default: docs_dir of ./mkdocs.yml, else ./content).",
    )(function)
