"""Fixtures shared by every test module: paths, the real data sets, small content trees, the CLI."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbgen.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

CATEGORIES_YML = """\
billing:
  title: Plans & billing
  description: Your subscription.
  support:
    fields:
      - id: invoice_number
        label: Invoice number
        required: true
account:
  title: Account & sign-in
"""


# Variables a CI runner or a release shell sets that change what kbgen prints or writes; every test
# starts without them, so the suite gives the same result on a laptop and on the CI machine.
AMBIENT_ENV = ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITLAB_CI", "KBGEN_DRAFTS", "SOURCE_DATE_EPOCH")


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AMBIENT_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def shared_data() -> Path:
    """The real public data sets beside the repository (see ../shared/data/README.md)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA} (clone the project beside shared/)")
    return SHARED_DATA


WriteTree = Callable[..., Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write ``{relative path: text}`` under tmp_path/content (dedented); categories.yml by default."""

    def write(files: dict[str, str], *, categories: str | None = CATEGORIES_YML, root: Path | None = None) -> Path:
        content = root or tmp_path / "content"
        content.mkdir(parents=True, exist_ok=True)
        if categories is not None:
            (content / "categories.yml").write_text(categories, encoding="utf-8")
        for relative, text in files.items():
            path = content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return content

    return write


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke ``kbgen ARGS`` in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return run
