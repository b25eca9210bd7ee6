"""``kbgen check --changed``: the content files git sees as changed since a revision, and the problems that concern them.

A change concerns the changed files themselves and the pages that link to them (a deleted or
renamed page breaks its linkers' links). Every rule still runs on the whole tree, through the load
cache that builds keep in ``.kbgen/``, so only the changed files are parsed again; the problems
are then narrowed to the ones a change can have caused.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from kbgen.check import check_tree, pages_linking_to
from kbgen.errors import KbgenError
from kbgen.load import CACHE_FILE, CATEGORIES_FILE, read_load_cache, write_load_cache
from kbgen.model import Corpus

GIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class ChangedContent:
    """Content paths (relative to the content folder) that differ from ``ref``: added, edited, deleted, or renamed from or to."""

    ref: str
    paths: frozenset[str]
    everything: bool = False  # categories.yml changed, or there is no commit yet: every file is concerned
    reason: str = ""


@dataclass(frozen=True)
class ChangedCheck:
    corpus: Corpus
    problems: list[KbgenError]
    changed: ChangedContent
    linking: frozenset[str]  # unchanged files that link to a changed one; their problems are reported too


def changed_content(root: Path, ref: str = "HEAD") -> ChangedContent:
    """What git sees as changed under ``root`` since ``ref``: staged and unstaged edits and untracked files.

    With a ``ref`` other than HEAD, the changes are counted from where the current branch left it
    (``git diff --merge-base``), so ``origin/main`` gives what a pull request changes. Raises
    KbgenError when git is missing, ``root`` is not in a repository, or ``ref`` is unknown.
    """
    root = Path(root)
    folder = root if root.is_dir() else root.parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel", what=f"{root} is not in a git repository").strip())
    try:
        inside = root.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise KbgenError(str(root), f"the content folder is outside the git repository {top}", hint="run kbgen check without --changed") from None
    prefix = "" if inside == "." else f"{inside}/"
    pathspec = ["--", inside]
    if _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False) is None:
        if ref == "HEAD":
            return ChangedContent(ref, frozenset(), everything=True, reason="the repository has no commit yet")
        raise KbgenError("--changed", f"unknown git revision '{ref}'", hint="give a branch, tag or commit, e.g. --changed origin/main (a content folder goes before --changed)")
    listed = _git(top, "diff", "--name-only", "--no-renames", "-z", "--merge-base", ref, *pathspec, what=f"git diff against '{ref}' failed")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", *pathspec, what="git ls-files failed")
    paths = frozenset(name[len(prefix):] for name in f"{listed}\0{untracked}".split("\0") if name and name.startswith(prefix))
    if CATEGORIES_FILE in paths:
        return ChangedContent(ref, paths, everything=True, reason=f"{CATEGORIES_FILE} changed")
    return ChangedContent(ref, paths)


def check_changed(root: Path, changed: ChangedContent, *, cache_dir: Path) -> ChangedCheck:
    """The problems of the changed files and of the pages that link to them (all problems when ``changed.everything``).

    A problem placed on another file counts too when it names a changed file (a duplicate slug or
    question found on the file that was there first).
    """
    cache = read_load_cache(cache_dir / CACHE_FILE)
    corpus, problems = check_tree(root, cache=cache, cache_dir=cache_dir)
    if cache.changed:
        write_load_cache(cache_dir / CACHE_FILE, cache)
    if changed.everything:
        return ChangedCheck(corpus, problems, changed, frozenset())
    linking = frozenset(pages_linking_to(corpus, changed.paths) - changed.paths)
    checked = changed.paths | linking
    concerned = [
        problem
        for problem in problems
        if problem.path in checked or problem.path == str(root) or any(path in problem.message for path in changed.paths)
    ]
    return ChangedCheck(corpus, concerned, changed, linking)


def _git(folder: Path, *arguments: str, what: str = "git failed", check: bool = True) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *arguments], capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise KbgenError("--changed", "git is not installed", hint="install git, or run kbgen check without --changed") from None
    except subprocess.TimeoutExpired:
        raise KbgenError(str(folder), f"{what}: git did not answer in {GIT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        if not check:
            return None
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        raise KbgenError(str(folder), what, hint=f"git says: {detail}")
    return done.stdout
