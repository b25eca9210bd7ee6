"""How the CLI reports a KbgenError: the located line on stderr and a non-zero exit.

Exit statuses, the same for every command: 0 done; 1 kbgen found a problem in its inputs (content
errors, a missing or unreadable file, a config MkDocs rejects); 2 a usage error (click's own, an
empty query or title, ``check --changed`` without git or with an unknown revision).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def require_path(path: Path, what: str = "file") -> None:
    """A missing input is a problem with the inputs (exit 1, located), the same for every command, not a usage error."""
    if not path.exists():
        raise KbgenError(str(path), f"{what} not found", hint="check the path")
