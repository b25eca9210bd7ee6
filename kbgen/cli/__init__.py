"""The ``kbgen`` command line: a click group whose commands are thin shells over the stages."""

from __future__ import annotations

import logging
from importlib import import_module

import click

from kbgen import __version__

# Each module defines one click command named ``command``.
COMMAND_MODULES = ("init", "new", "check", "build", "serve", "import_", "promote", "mine", "report", "search", "collect", "related")


class _LevelFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "" if record.levelno == logging.INFO else f"{record.levelname}: "
        return f"{prefix}{record.getMessage()}"


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_LevelFormatter())
    for name in ("mkdocs", "kbgen"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kbgen")
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages.")
def main(verbose: bool) -> None:
    """Turn a repository of Markdown into a searchable help center with community Q&A."""
    setup_logging(verbose)


for _name in COMMAND_MODULES:
    main.add_command(import_module(f"kbgen.cli.{_name}").command)
