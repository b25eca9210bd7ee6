from __future__ import annotations

import sys
from pathlib import Path

import click

from kbgen.changed import changed_content, check_changed
from kbgen.check import check_tree
from kbgen.cli.project import default_cache_dir, default_content_dir
from kbgen.errors import KbgenError


@click.command("check")
@click.argument("directory", type=click.Path(path_type=Path), required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", help="github: GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--changed",
    "changed_ref",
    is_flag=False,
    flag_value="HEAD",
    default=None,
    metavar="[REF]",
    help="Only the files git sees as changed since REF (default HEAD: staged, unstaged and untracked) and the pages that link to them.",
)
def command(directory: Path | None, output_format: str, strict: bool, changed_ref: str | None) -> None:
    """Validate the content tree; print one path:line:col line per problem.

    Exits 1 when there is an error (or a warning with --strict), 0 otherwise; 2 on a usage error.
    """
    root = directory or default_content_dir()
    if changed_ref is None:
        # The cache keeps the duplicate rule's warnings: unchanged questions need no ranking (numpy, scipy) at all.
        corpus, problems = check_tree(root, cache_dir=default_cache_dir(root))
        scope = f"{len(corpus.articles)} articles, {len(corpus.threads)} threads read"
    else:
        try:
            changed = changed_content(root, changed_ref)
        except KbgenError as error:
            raise click.UsageError(f"--changed: {error.text()}") from None
        result = check_changed(root, changed, cache_dir=default_cache_dir(root))
        problems = result.problems
        if changed.everything:
            scope = f"every file checked ({changed.reason})"
        else:
            scope = f"{len(changed.paths)} changed file(s) since {changed_ref} and {len(result.linking)} file(s) linking to them checked"
    for problem in problems:
        line = problem.format_github() if output_format == "github" else problem.format()
        click.echo(_relative_to_cwd(line, root))
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    click.echo(f"{root}: {scope}; {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


def _relative_to_cwd(line: str, root: Path) -> str:
    """Problems name paths inside the content root; print them as paths the shell can open."""
    prefix = "" if str(root) in ("", ".") else f"{root.as_posix().rstrip('/')}/"
    if line.startswith("::"):
        return line.replace(" file=", f" file={prefix}", 1)
    return f"{prefix}{line}"
