"""The ``kbgen-check`` pre-commit hook, run by the real ``pre-commit`` on a temporary git repository.

pre-commit clones this repository at its HEAD commit and pip installs kbgen into an environment
of its own (from PyPI, without the semantic extra): once per test session, in one PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kbgen.scaffold import init_project

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
INSTALL_TIMEOUT_SECONDS = 1200  # the first commit installs kbgen and its dependencies into pre-commit's environment

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit hooks run from git commits; git is not installed")
pytest.importorskip("pre_commit", reason="pre-commit (the test extra) runs the hook")

BAD_ARTICLE = "---\ntitle: Cancel an order\nstatus: wrong\n---\nOpen **Orders**.\n"
GOOD_ARTICLE = "---\ntitle: Cancel an order\nstatus: published\n---\nOpen **Orders** and choose **Cancel**.\n"


@pytest.fixture(scope="session")
def hook_revision() -> str:
    """This repository's HEAD commit, which must already hold .pre-commit-hooks.yaml (pre-commit installs from commits)."""
    head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip(f"{REPO_ROOT} is not a git checkout; pre-commit installs hooks from a repository")
    revision = head.stdout.strip()
    if subprocess.run(["git", "-C", str(REPO_ROOT), "cat-file", "-e", f"{revision}:.pre-commit-hooks.yaml"]).returncode != 0:
        pytest.fail(".pre-commit-hooks.yaml is not committed at HEAD; pre-commit cannot install the hook from this checkout")
    return revision


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One PRE_COMMIT_HOME for the session, so kbgen is installed into pre-commit's environment once."""
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        GIT_AUTHOR_NAME="Writer",
        GIT_AUTHOR_EMAIL="writer@example.com",
        GIT_COMMITTER_NAME="Writer",
        GIT_COMMITTER_EMAIL="writer@example.com",
    )
    env.pop("GIT_DIR", None)
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS)


@pytest.mark.parametrize("hook", ["kbgen-check", "kbgen-check-changed"])
def test_hook_stops_a_commit_with_a_content_error_and_lets_a_good_one_through(tmp_path, hook_revision, pre_commit_env, hook):
    project = tmp_path / "help"
    init_project(project, "github")
    config = {"repos": [{"repo": str(REPO_ROOT), "rev": hook_revision, "hooks": [{"id": hook}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run(["git", "init", "-q", "-b", "main"], project, pre_commit_env).check_returncode()
    installed = run([sys.executable, "-m", "pre_commit", "install"], project, pre_commit_env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    article = project / "content" / "faq" / "getting-started" / "cancel-an-order.md"
    article.write_text(BAD_ARTICLE, encoding="utf-8")
    run(["git", "add", "-A"], project, pre_commit_env).check_returncode()
    refused = run(["git", "commit", "-q", "-m", "Add a broken article"], project, pre_commit_env)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "content/faq/getting-started/cancel-an-order.md:3:1: error: unknown status 'wrong'" in refused.stdout + refused.stderr  # git passes the hook's output on stderr
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], project, pre_commit_env).returncode != 0  # nothing was committed

    article.write_text(GOOD_ARTICLE, encoding="utf-8")
    run(["git", "add", "-A"], project, pre_commit_env).check_returncode()
    accepted = run(["git", "commit", "-q", "-m", "Add an article"], project, pre_commit_env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr


def test_hook_manifest_is_valid_for_pre_commit():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(REPO_ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["kbgen-check"]["entry"] == "kbgen check" and hooks["kbgen-check"]["pass_filenames"] is False
    assert hooks["kbgen-check"]["language"] == "python" and hooks["kbgen-check"]["files"] == r"^(content/|mkdocs\.yml$)"
