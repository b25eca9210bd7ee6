"""How fast the ``kbgen`` command starts: ``kbgen --help`` and ``kbgen check`` on the demo, beside ``mkdocs --version``.

Timed as a writer runs them (the installed console scripts, Python's start included), median of
``--repeat`` runs, all in this one run. Targets: ``kbgen --help`` within 1.5x ``mkdocs --version``;
``kbgen check content`` on the demo under 0.8 s, cold (no cache folder: the duplicate rule ranks
the articles) and warm (its warnings read from the cache, as on every commit). The demo
(``mkdocs.yml`` and ``content/``) is copied to a temporary folder, so the repository's cache is
left alone.

    python bench/startup_speed.py
    python bench/startup_speed.py --repeat 9
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(sys.executable).parent
HELP_RATIO_TARGET = 1.5
CHECK_SECONDS_TARGET = 0.8


def _median_seconds(command: list[str], cwd: Path, repeat: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is printed)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "content", project / "content")
        cache = project / ".kbgen"
        kbgen, check = [str(SCRIPTS / "kbgen")], [str(SCRIPTS / "kbgen"), "check", "content"]
        mkdocs = _median_seconds([str(SCRIPTS / "mkdocs"), "--version"], project, arguments.repeat)
        help_seconds = _median_seconds([*kbgen, "--help"], project, arguments.repeat)
        cold = _median_seconds(check, project, arguments.repeat, before=lambda: shutil.rmtree(cache, ignore_errors=True))
        warm = _median_seconds(check, project, arguments.repeat)
    ratio = help_seconds / mkdocs
    print(f"start-up, median of {arguments.repeat} runs (Python's start included)")
    print(f"  mkdocs --version (baseline)      {mkdocs:6.3f} s")
    print(f"  kbgen --help                     {help_seconds:6.3f} s   {ratio:.2f}x the baseline (target <= {HELP_RATIO_TARGET}x)")
    print(f"  kbgen check content, cold cache  {cold:6.3f} s   {cold / mkdocs:.2f}x the baseline (target < {CHECK_SECONDS_TARGET} s)")
    print(f"  kbgen check content, warm cache  {warm:6.3f} s   {warm / mkdocs:.2f}x the baseline (target < {CHECK_SECONDS_TARGET} s)")
    met = ratio <= HELP_RATIO_TARGET and cold < CHECK_SECONDS_TARGET and warm < CHECK_SECONDS_TARGET
    print("targets met" if met else "targets NOT met")


if __name__ == "__main__":
    main()
