"""One staging cleanup for builds and imports (kbgen.staging): a killed run's folder is removed by the next run,
a running one's is left alone, whatever pid its name carries."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kbgen.build import remove_stale_staging as remove_stale_builds
from kbgen.community.store import STAGING_PREFIX
from kbgen.community.store import remove_stale_staging as remove_stale_imports
from kbgen.staging import claim_folder, release_folder, unheld_folders

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")

# A run that claims its staging folder as kbgen build and kbgen import do, reports it, then is killed (or waits).
RUN = """
import os, signal, sys
from pathlib import Path
from kbgen.staging import claim_folder
folder = claim_folder(Path(sys.argv[1]), sys.argv[2])
(folder / "index.html").write_text("half-built", encoding="utf-8")
print(folder, flush=True)
if sys.argv[3] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()  # alive until the test closes its input
"""


def age(path: Path, seconds: float = 120) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def killed_run(parent: Path, prefix: str) -> Path:
    killed = subprocess.run([sys.executable, "-c", RUN, str(parent), prefix, "kill"], capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    folder = Path(killed.stdout.strip())
    assert folder.is_dir()
    age(folder)
    return folder


@contextmanager
def running_run(parent: Path, prefix: str) -> Iterator[Path]:
    process = subprocess.Popen([sys.executable, "-c", RUN, str(parent), prefix, "wait"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    try:
        folder = Path(process.stdout.readline().strip())
        age(folder, 3600)  # old, but held
        yield folder
    finally:
        process.stdin.close()
        process.wait(timeout=30)


@pytest.mark.parametrize(("kind", "prefix", "remove_stale"), [
    ("build", f".site.building-{os.getpid()}-", lambda parent: remove_stale_builds(parent / "site")),
    ("import", f"{STAGING_PREFIX}{os.getpid()}-", remove_stale_imports),
], ids=["build", "import"])  # ids without the pid: every pytest-xdist worker must collect the same tests
def test_a_killed_runs_folder_is_removed_and_a_running_ones_is_not(tmp_path, kind, prefix, remove_stale):
    # Both names carry this (live) process's pid: a pid check would keep the killed run's folder forever.
    killed = killed_run(tmp_path, prefix)
    with running_run(tmp_path, prefix) as running:
        remove_stale(tmp_path)
        assert not killed.exists(), f"the killed {kind}'s folder is removed"
        assert (running / "index.html").read_text(encoding="utf-8") == "half-built", f"the running {kind}'s folder stays"
    remove_stale(tmp_path)
    assert not running.exists(), "once its run ended, the folder is removed"


def test_a_folder_just_made_is_not_taken_for_stale(tmp_path):
    (tmp_path / ".site.building-1-new").mkdir()  # made an instant ago: its build may not hold it yet
    assert list(unheld_folders(tmp_path, lambda name: True)) == []


def test_this_processs_own_folders_are_never_stale(tmp_path):
    folder = claim_folder(tmp_path, "own-")
    age(folder)
    assert list(unheld_folders(tmp_path, lambda name: True)) == []
    release_folder(folder)
    assert list(unheld_folders(tmp_path, lambda name: True)) == [folder]
