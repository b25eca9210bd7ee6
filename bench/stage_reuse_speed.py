"""What ``kbgen serve --engine zensical`` spends staging again after one edit, with and without the previous stage's pages.

For each N, generate N realistic pages (bench/sitegen.py), stage them once (kbgen.site.stage) to
fill a ``StagedPages``, change one article's answer, then stage again twice: without the previous
pages (the baseline: every page rendered, as before pages were reused) and with them (only pages
whose input record changed are rendered). Prints each stage's seconds, the pages it rendered, the
ratio of the two, and whether both wrote the same tree.

    python bench/stage_reuse_speed.py                 # N = 1000 5000
    python bench/stage_reuse_speed.py --sizes 500
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build_speed import KBGEN_CONFIG  # noqa: E402
from bench.sitegen import generate_site  # noqa: E402
from kbgen.engines import sync_tree  # noqa: E402
from kbgen.site.stage import StagedPages, stage_site  # noqa: E402


def timed_stage(config: Path, root: Path, previous: StagedPages | None) -> tuple[float, Path]:
    start = time.perf_counter()
    staged = stage_site(config, root, previous=previous)
    return time.perf_counter() - start, staged.docs_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"{'pages':>6} {'first stage s':>14} {'again, all rendered s':>22} {'again, reused s':>16} {'rendered':>9} {'ratio':>6} same tree")
    for pages in arguments.sizes:
        with tempfile.TemporaryDirectory(prefix="kbgen-bench-") as temporary:
            project = generate_site(Path(temporary) / "site", pages)
            config = project / "mkdocs.yml"
            config.write_text(KBGEN_CONFIG, encoding="utf-8")
            staged_pages = StagedPages()
            first, _ = timed_stage(config, Path(temporary) / "first", staged_pages)
            article = sorted((project / "content/faq").rglob("article-*.md"))[0]
            article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
            baseline, everything = timed_stage(config, Path(temporary) / "baseline", None)
            reused, changed = timed_stage(config, Path(temporary) / "reused", staged_pages)
            same = sync_tree(everything, changed) == 0
            print(f"{pages:>6} {first:>14.2f} {baseline:>22.2f} {reused:>16.2f} {staged_pages.rendered:>9} {baseline / reused:>6.2f} {same}")


if __name__ == "__main__":
    main()
