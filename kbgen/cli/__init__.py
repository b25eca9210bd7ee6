"""The ``kbgen`` command line: a click group whose commands are thin shells over the stages.

A command's module (and the stages it imports: numpy, scipy, Whoosh, MkDocs' build) is loaded
only when that command runs, so ``kbgen --help`` and ``kbgen check`` start quickly.
"""

from __future__ import annotations

import logging
from importlib import import_module

import click
from click.utils import make_default_short_help

from kbgen import __version__

# Command name -> (module defining it as ``command``, the first paragraph of its docstring for ``kbgen --help``).
# tests/unit/test_cli_lazy.py checks that these match the commands.
COMMANDS = {
    "build": ("build", "Build the site; the previous site folder is replaced only if the build succeeds."),
    "check": ("check", "Validate the content tree; print one path:line:col line per problem."),
    "collect": ("collect", "Receive the site's events (votes, failed searches, answered questions) and store them as JSON lines."),
    "import": ("import_", "Import FORUM threads from SOURCE (an export file or folder) as Markdown threads."),
    "init": ("init", "Create a new help center in DIRECTORY: mkdocs.yml, categories, a first article and a CI workflow."),
    "mine": ("mine", "Group the questions in LOG files, rank them, match them to articles, write drafts and a report."),
    "new": ("new", "Create a new FAQ article or community thread from TITLE, ready to edit."),
    "promote": ("promote", "Turn the solved thread THREAD_PATH into an FAQ draft (status: draft) beside the other articles."),
    "related": ("related", "Show the articles and threads related to PAGE (e.g. faq/billing/request-a-refund.md), as the site lists them."),
    "report": ("report", "Print the summary of the last mining report (default: .kbgen/report.json)."),
    "search": ("search", "Search articles and threads for QUERY (plain words, as a customer would type them)."),
    "serve": ("serve", "Serve the site locally and rebuild it when content changes."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module when the command is looked up, and lists commands from ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            self.add_command(import_module(f"kbgen.cli.{COMMANDS[name][0]}").command, name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing ``click.Group`` prints, from ``COMMANDS`` rather than from the imported commands."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, make_default_short_help(COMMANDS[name][1], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kbgen")
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages.")
def main(verbose: bool) -> None:
    """Turn a repository of Markdown into a searchable help center with community Q&A."""
    setup_logging(verbose)
