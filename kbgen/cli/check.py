from __future__ import annotations

import sys
from pathlib import Path

import click

from kbgen.check import check_tree
from kbgen.cli.project import default_content_dir


@click.command("check")
@click.argument("directory", type=click.Path(path_type=Path), required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", help="github: GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def command(directory: Path | None, output_format: str, strict: bool) -> None:
    """Validate the content tree; print one path:line:col line per problem.

    Exits 1 when there is an error (or a warning with --strict), 0 otherwise.
    """
    root = directory or default_content_dir()
    corpus, problems = check_tree(root)
    for problem in problems:
        line = problem.format_github() if output_format == "github" else problem.format()
        click.echo(_relative_to_cwd(line, root))
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    click.echo(f"{root}: {len(corpus.articles)} articles, {len(corpus.threads)} threads read; {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


def _relative_to_cwd(line: str, root: Path) -> str:
    """Problems name paths inside the content root; print them as paths the shell can open."""
    prefix = "" if str(root) in ("", ".") else f"{root.as_posix().rstrip('/')}/"
    if line.startswith("::"):
        return line.replace(" file=", f" file={prefix}", 1)
    return f"{prefix}{line}"
