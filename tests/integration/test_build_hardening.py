"""``kbgen build`` publishes only files inside the docs folder, is reproducible across processes, and cleans up after killed builds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from kbgen.build import remove_stale_staging
from kbgen.staging import hold_folder, release_folder

SECRET = "KBGEN_TEST_SECRET=hunter2"
THREAD_WITH_IMAGES = """\
---
title: Screenshot of the error dialog
author: customer
date: 2026-01-03
solved: true
answers:
  - author: support
    date: 2026-01-03
    accepted: true
    body: |
      That dialog means the session expired:

      ![the dialog](https://img.example/answer.png)
---
Here is what I see: ![error dialog](https://img.example/dialog.png)

<img src="https://img.example/raw.png" alt="raw" loading="eager" referrerpolicy="unsafe-url">
"""


def digest_tree(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(root.rglob("*")) if path.is_file()}


def kbgen(project: Path, *args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    """The real command line, in the project folder (so paths are shown as a user sees them)."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1", "KBGEN_TEST_SECRET": "hunter2"}
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(finished.stdout)


@pytest.fixture
def project(run_cli, tmp_path) -> Path:
    root = tmp_path / "help"
    assert run_cli("init", root).exit_code == 0
    return root


# -- files from outside the project ------------------------------------------------------------


def test_build_refuses_file_symlinks_out_of_docs_and_publishes_nothing(project):
    (project / "content/env.txt").symlink_to("/proc/self/environ")
    (project / "content/passwd.txt").symlink_to("/etc/passwd")
    result = kbgen(project, "build")
    assert result.returncode == 1
    assert "content/env.txt:1:1: error: file is a symbolic link that leaves the docs folder" in result.stderr
    assert "content/passwd.txt:1:1: error: file is a symbolic link that leaves the docs folder (to /etc/passwd)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()
    assert not list(project.glob(".site.*")), "refused before a staging folder is made"


def test_build_refuses_folder_symlink_before_mkdocs_walks_it(run_cli, project, monkeypatch):
    (project / "content/etcdir").symlink_to("/etc")
    monkeypatch.chdir(project)
    result = run_cli("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("content/etcdir:1:1: error: folder is a symbolic link that leaves the docs folder (to /etc);")
    assert "replace the link by a copy of the file, or delete it" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_refused_build_keeps_the_previous_site(run_cli, project):
    assert run_cli("build", "-f", project / "mkdocs.yml").exit_code == 0
    before = digest_tree(project / "site")
    (project / "content/faq/leak.md").symlink_to("/etc/hostname")
    result = run_cli("build", "-f", project / "mkdocs.yml")
    assert result.exit_code == 1
    assert "content/faq/leak.md:1:1: error:" in result.stderr
    assert digest_tree(project / "site") == before


def test_build_refuses_a_pipe_instead_of_hanging_on_it(run_cli, project, monkeypatch):
    os.mkfifo(project / "content/pipe.txt")
    monkeypatch.chdir(project)
    result = run_cli("build")
    assert result.exit_code == 1
    assert "content/pipe.txt:1:1: error: file is not a regular file (a device, pipe or socket)" in result.stderr


def test_serve_refuses_symlinks_out_of_docs(run_cli, project, monkeypatch):
    (project / "content/passwd.txt").symlink_to("/etc/passwd")
    monkeypatch.chdir(project)
    result = run_cli("serve", "--dev-addr", "not-an-address")  # a regression fails fast instead of serving
    assert result.exit_code == 1
    assert "content/passwd.txt:1:1: error: file is a symbolic link that leaves the docs folder" in result.stderr


def test_plain_mkdocs_build_with_the_plugin_refuses_symlinks_out_of_docs(project, monkeypatch, caplog):
    (project / "content/etcdir").symlink_to("/etc")
    (project / "content/env.txt").symlink_to("/proc/self/environ")
    monkeypatch.chdir(project)
    config = load_config("mkdocs.yml")
    with pytest.raises(Abort):
        mkdocs_build(config)
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("content/etcdir:1:1: error: folder is a symbolic link") for message in messages)
    assert any(message.startswith("content/env.txt:1:1: error: file is a symbolic link") for message in messages)
    assert not (project / "site").exists()


def test_symlinks_that_stay_inside_docs_keep_working(run_cli, project):
    (project / "content/shared").mkdir()
    (project / "content/shared/notes.md").write_text("# Shared notes\n\nWritten once.\n", encoding="utf-8")
    (project / "content/notes.md").symlink_to("shared/notes.md")
    (project / "content/mirror").symlink_to("shared")
    result = run_cli("build", "-f", project / "mkdocs.yml")
    assert result.exit_code == 0, result.stderr
    assert "Written once." in (project / "site/notes/index.html").read_text(encoding="utf-8")
    assert "Written once." in (project / "site/mirror/notes/index.html").read_text(encoding="utf-8")


# -- reproducible builds -----------------------------------------------------------------------


def test_build_with_images_in_a_thread_is_byte_identical_across_processes(project):
    (project / "content/community/getting-started/error-dialog.md").write_text(THREAD_WITH_IMAGES, encoding="utf-8")
    for seed, target in (("1", "one"), ("2", "two")):
        result = kbgen(project, "build", "-d", target, seed=seed)
        assert result.returncode == 0, result.stderr
    page = (project / "one/community/getting-started/error-dialog/index.html").read_text(encoding="utf-8")
    assert page.count('loading="lazy" referrerpolicy="no-referrer"') == 3
    assert "eager" not in page and "unsafe-url" not in page
    assert digest_tree(project / "one") == digest_tree(project / "two")


# -- what killed builds leave ------------------------------------------------------------------


def age(path: Path, seconds: float = 120) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_build_removes_staging_folders_of_killed_builds_but_not_of_running_ones(run_cli, project):
    gone = dead_pid()
    # Named after a dead pid, and after a live one (a killed build's pid reused): nobody holds either.
    stale = [project / f".site.building-{gone}-abcd1234", project / f".site.previous-{gone}", project / f".site.building-{os.getpid()}-reused"]
    running = project / f".site.building-{os.getpid()}-efgh5678"
    for folder in [*stale, running]:
        folder.mkdir()
        (folder / "index.html").write_text("half-built", encoding="utf-8")
        age(folder)
    hold_folder(running)  # as the build that made it holds it while it runs
    try:
        assert run_cli("build", "-f", project / "mkdocs.yml").exit_code == 0
    finally:
        release_folder(running)
    assert not any(folder.exists() for folder in stale)
    assert (running / "index.html").read_text(encoding="utf-8") == "half-built"
    assert sorted(path.name for path in project.glob(".site.*")) == [running.name]


def test_staging_folder_is_named_after_the_pid_of_its_build(run_cli, project, monkeypatch):
    made = []
    make_folder = tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs) -> str:
        made.append(make_folder(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    assert run_cli("build", "-f", project / "mkdocs.yml").exit_code == 0
    staging = [Path(folder) for folder in made if Path(folder).parent == project]
    assert [folder.name.startswith(f".site.building-{os.getpid()}-") for folder in staging] == [True]
    assert not staging[0].exists()


def test_site_of_a_build_killed_during_the_swap_is_put_back(tmp_path):
    target = tmp_path / "site"
    retired = tmp_path / f".site.previous-{dead_pid()}"
    retired.mkdir()
    (retired / "index.html").write_text("last good site", encoding="utf-8")
    age(retired)
    remove_stale_staging(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "last good site"
    assert not retired.exists()


def test_stale_folders_of_other_sites_and_other_names_are_left_alone(tmp_path):
    gone = dead_pid()
    (tmp_path / "site").mkdir()
    others = [tmp_path / f".public.building-{gone}-abcd1234", tmp_path / ".site.building-y6lm8k1f", tmp_path / f".site.building-{gone}-x.txt"]
    for other in others[:2]:
        other.mkdir()
    others[2].write_text("a file, not a build folder", encoding="utf-8")
    for other in others:
        age(other)
    remove_stale_staging(tmp_path / "site")
    assert all(other.exists() for other in others)
