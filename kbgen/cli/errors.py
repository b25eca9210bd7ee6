"""How the CLI reports a KbgenError: the located line on stderr and a non-zero exit."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from mkdocs.exceptions import MkDocsException

from kbgen.errors import KbgenError


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn kbgen's and MkDocs' errors into one clear message and exit status 1, never a traceback."""
    try:
        yield
    except KbgenError as error:
        click.echo(error.format(), err=True)
        sys.exit(1)
    except MkDocsException as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
