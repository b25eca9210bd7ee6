"""What the rebuild engine's page records cost: making and hashing every page's input record, against the build it plans.

For each N, generate N realistic pages (bench/sitegen.py) and build them three times in this
process with ``kbgen build`` (kbgen.build.build_site): from nothing, again with no change, and
after one article's title changed. Prints each build's seconds, the seconds spent making the
input records (kbgen.site.page_input) and the reuse plan, the share of the build they take
(the baseline is the build itself, in the same run), how many of them hashing alone takes, and
how many pages each build rendered.

    python bench/page_input_speed.py                 # N = 1000 5000
    python bench/page_input_speed.py --sizes 500
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build_speed import KBGEN_CONFIG  # noqa: E402
from bench.sitegen import generate_site  # noqa: E402
from kbgen.build import build_site  # noqa: E402
from kbgen.site.plugin import KbgenPlugin  # noqa: E402

try:
    from kbgen.site import rebuild
except ImportError:  # an older checkout, run as the baseline: pages fingerprinted by a hand-listed digest
    rebuild = None


class Timers(logging.Handler):
    """Seconds spent in the plan and in hashing records, and the plugin's own count of rendered pages."""

    def __init__(self) -> None:
        super().__init__()
        self.plan = self.hashing = 0.0
        self.rendered = ""

    def emit(self, record: logging.LogRecord) -> None:
        found = re.search(r"(\d+) unchanged pages reused, (\d+) rendered", record.getMessage())
        if found:
            self.rendered = f"{found[2]} of {int(found[1]) + int(found[2])}"


def instrument(timers: Timers) -> None:
    plan, fingerprint = KbgenPlugin._plan_rebuild, getattr(rebuild, "input_fingerprint", None)

    def timed_plan(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return plan(self, *args, **kwargs)
        finally:
            timers.plan += time.perf_counter() - started

    def timed_fingerprint(record):
        started = time.perf_counter()
        try:
            return fingerprint(record)
        finally:
            timers.hashing += time.perf_counter() - started

    KbgenPlugin._plan_rebuild = timed_plan
    if rebuild is not None:
        rebuild.input_fingerprint = timed_fingerprint


def timed_build(config: Path, timers: Timers) -> tuple[float, float, float, str]:
    timers.plan = timers.hashing = 0.0
    timers.rendered = "all"
    started = time.perf_counter()
    build_site(config)
    return time.perf_counter() - started, timers.plan, timers.hashing, timers.rendered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    arguments = parser.parse_args()
    timers = Timers()
    logging.getLogger("mkdocs.plugins.kbgen").addHandler(timers)
    logging.getLogger("mkdocs.plugins.kbgen").setLevel(logging.INFO)
    instrument(timers)
    print(f"{'pages':>6} {'build':>10} {'seconds':>8} {'plan s':>10} {'share':>6} {'hashing s':>10} {'rendered':>14}")
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-", ignore_cleanup_errors=True) as temporary:
        for pages in arguments.sizes:
            project = generate_site(Path(temporary) / f"site-{pages}", pages)
            config = project / "mkdocs.yml"
            config.write_text(KBGEN_CONFIG, encoding="utf-8")
            article = next(iter(sorted((project / "content" / "faq").rglob("*.md"))))
            for name in ("fresh", "no change", "one edit"):
                if name == "one edit":
                    text = article.read_text(encoding="utf-8")
                    article.write_text(re.sub(r"^title: .*$", "title: Retitled for the bench", text, count=1, flags=re.MULTILINE), encoding="utf-8")
                seconds, plan, hashing, rendered = timed_build(config, timers)
                print(f"{pages:>6} {name:>10} {seconds:>8.2f} {plan:>10.2f} {plan / seconds:>6.1%} {hashing:>10.3f} {rendered:>14}")


if __name__ == "__main__":
    main()
