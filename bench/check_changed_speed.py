"""``kbgen check --changed`` against a full ``kbgen check`` on a generated help center (5,000 pages by default).

The site is a git repository; three pages link to the article that is edited. Timed as a writer
runs them (the ``kbgen`` command, Python's start included), median of ``--repeat`` runs:
the start of the command alone (``kbgen --version``), a full check (the baseline), then ``--changed`` after a one-file edit, cold (no load cache yet)
and warm (the cache of the previous run, as on every commit), and a warm run after an edit of
the article's questions (the likely-duplicate scores are then computed again).

    python bench/check_changed_speed.py
    python bench/check_changed_speed.py --pages 2000 --repeat 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.sitegen import generate_site  # noqa: E402

KBGEN = [sys.executable, "-m", "kbgen"]
EDITED = "content/faq/topic-00/article-00000.md"
LINKERS = ("content/faq/topic-01/article-00001.md", "content/faq/topic-02/article-00002.md", "content/community/topic-03/thread-04003.md")


def _git(project: Path, *arguments: str) -> None:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(project), *identity, *arguments], check=True, capture_output=True)


def _timed_check(project: Path, *arguments: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([*KBGEN, "check", *arguments], cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"kbgen check {' '.join(arguments)} failed: {done.stderr}")
    return seconds, done.stderr.strip().splitlines()[-1]


def _edit(project: Path, marker: str, *, questions: bool = False) -> None:
    path = project / EDITED
    text = path.read_text(encoding="utf-8")
    if questions:
        text = text.replace("questions:\n", f"questions:\n- How do I {marker} an invoice?\n", 1)
    path.write_text(f"{text}\nEdited ({marker}).\n", encoding="utf-8")


def _make_project(pages: int, folder: Path) -> Path:
    project = generate_site(folder / "site", pages)
    (project / "mkdocs.yml").write_text("site_name: Bench\ndocs_dir: content\nplugins: [search, kbgen]\n", encoding="utf-8")
    for linker in LINKERS:
        path = project / linker
        target = Path("../../" + EDITED.removeprefix("content/")).as_posix()
        path.write_text(path.read_text(encoding="utf-8") + f"\nSee [the first article]({target}).\n", encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "generated")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    if shutil.which("git") is None:
        raise SystemExit("git is needed: kbgen check --changed asks git what changed")
    with tempfile.TemporaryDirectory(prefix="kbgen-check-changed-") as folder:
        project = _make_project(arguments.pages, Path(folder))
        startup = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            subprocess.run([*KBGEN, "--version"], cwd=project, check=True, capture_output=True)
            startup.append(time.perf_counter() - started)
        full = [_timed_check(project) for _ in range(arguments.repeat)]
        _edit(project, "cold")
        cold = _timed_check(project, "--changed")
        warm = []
        for run in range(arguments.repeat):
            _edit(project, f"warm {run}")
            warm.append(_timed_check(project, "--changed"))
        questions = []
        for run in range(arguments.repeat):
            _edit(project, f"ask {run}", questions=True)
            questions.append(_timed_check(project, "--changed"))
    full_seconds = statistics.median(seconds for seconds, _ in full)
    warm_seconds = statistics.median(seconds for seconds, _ in warm)
    question_seconds = statistics.median(seconds for seconds, _ in questions)
    print(f"{arguments.pages:,} pages, one article edited, {len(LINKERS)} pages link to it; median of {arguments.repeat} runs of the kbgen command")
    print(f"  kbgen --version (start and imports)    {statistics.median(startup):6.2f} s")
    print(f"  full kbgen check (baseline)            {full_seconds:6.2f} s   {full[0][1]}")
    print(f"  --changed, cold (no load cache yet)    {cold[0]:6.2f} s   {cold[1]}")
    print(f"  --changed, warm (every commit)         {warm_seconds:6.2f} s   {warm[0][1]}")
    print(f"  --changed, warm, questions edited      {question_seconds:6.2f} s")
    print(f"  ratio full / --changed warm: {full_seconds / warm_seconds:.1f}x (questions edited: {full_seconds / question_seconds:.1f}x)")


if __name__ == "__main__":
    main()
