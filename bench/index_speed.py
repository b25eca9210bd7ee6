"""Search index and related-links speed: the demo help center and generated sites of N pages.

For each site: full index build, a no-change update, a one-file update (the incremental path),
queries per second through ``SearchIndex.search``, ``compute_links`` for every page (then again
with nothing changed: read from its cache), and ``likely_duplicates`` (what ``kbgen check`` adds). Baseline measured in the same run: a
full rebuild is compared with the incremental update, and search with a linear scan that counts
query words in every page (what a site without an index would do).

    python bench/index_speed.py                 # demo content + 5,000 generated pages
    python bench/index_speed.py --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.sitegen import generate_site  # noqa: E402
from kbgen.check import likely_duplicates  # noqa: E402
from kbgen.index import open_index  # noqa: E402
from kbgen.link import compute_links  # noqa: E402
from kbgen.load import load_corpus  # noqa: E402
from kbgen.model import Corpus  # noqa: E402
from kbgen.text import terms, unique_terms  # noqa: E402

DEMO_CONTENT = Path(__file__).resolve().parent.parent / "content"
QUERIES = 200


def _timed(function, *arguments, **options):
    started = time.perf_counter()
    result = function(*arguments, **options)
    return result, time.perf_counter() - started


def _queries(corpus: Corpus, count: int) -> list[str]:
    """Realistic queries: two or three words taken from random titles."""
    rng = random.Random(0)
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    queries = []
    while len(queries) < count:
        words = [word for word in re.findall(r"[A-Za-z]{4,}", rng.choice(documents).title)]
        if words:
            queries.append(" ".join(rng.sample(words, min(len(words), rng.randint(2, 3)))))
    return queries


def _linear_scan(corpus: Corpus, query: str) -> list[str]:
    wanted = set(unique_terms([query]))
    scored = []
    for document in corpus.documents():
        count = sum(term in wanted for term in terms(f"{document.title} {document.body}"))
        if count:
            scored.append((-count, document.path))
    return [path for _, path in sorted(scored)[:10]]


def measure(label: str, content: Path) -> None:
    corpus, _ = load_corpus(content)
    pages = len(corpus.articles) + len(corpus.threads)
    print(f"\n{label}: {pages} pages ({len(corpus.articles)} articles, {len(corpus.threads)} threads)")
    with tempfile.TemporaryDirectory() as cache:
        cache_dir = Path(cache)
        index, build = _timed(open_index, corpus, cache_dir)
        unchanged, no_change = _timed(open_index, corpus, cache_dir)
        assert unchanged.stats.reindexed == 0
        first = sorted(corpus.articles, key=lambda article: article.path)[0]
        edited = (content / first.path).read_text(encoding="utf-8") + "\nOne more sentence about refunds.\n"
        (content / first.path).write_text(edited, encoding="utf-8")
        corpus_after, _ = load_corpus(content)
        updated, one_file = _timed(open_index, corpus_after, cache_dir)
        assert updated.stats.updated == 1 and updated.stats.reindexed == 1
        queries = _queries(corpus, QUERIES)
        with updated:
            _, searching = _timed(lambda: [updated.search(query) for query in queries])
        for opened in (index, unchanged):
            opened.close()
    scan_queries = queries[: max(5, QUERIES // 20)]
    _, scanning = _timed(lambda: [_linear_scan(corpus, query) for query in scan_queries])
    with tempfile.TemporaryDirectory() as cache:
        links, linking = _timed(compute_links, corpus, Path(cache))
        _, relinking = _timed(compute_links, corpus, Path(cache))
    duplicates, checking = _timed(likely_duplicates, corpus)
    with_links = sum(bool(related.articles or related.threads) for related in links.values())
    search_rate, scan_rate = len(queries) / searching, len(scan_queries) / scanning
    print(f"  index build (full)          {build:8.2f} s   ({pages / build:,.0f} pages/s)")
    print(f"  update, nothing changed     {no_change:8.2f} s   ratio to full build {no_change / build:.3f}")
    print(f"  update, one file changed    {one_file:8.2f} s   ratio to full build {one_file / build:.3f}")
    print(f"  search                      {search_rate:8.0f} queries/s; linear scan baseline {scan_rate:.1f} queries/s, ratio {search_rate / scan_rate:.1f}x")
    print(f"  compute_links (all pages)   {linking:8.2f} s   ({with_links} of {pages} pages have related links)")
    print(f"  compute_links, no change    {relinking:8.2f} s   ratio to computing them {relinking / linking:.3f}")
    print(f"  likely_duplicates (check)   {checking:8.2f} s   ({len(duplicates)} warnings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000], help="generated site sizes (pages)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        demo = Path(work) / "demo"
        demo.mkdir()
        # A copy: the benchmark edits one file to measure the incremental update.
        shutil.copytree(DEMO_CONTENT, demo / "content")
        measure("demo content", demo / "content")
        for size in arguments.sizes:
            project = generate_site(Path(work) / f"site-{size}", size, seed=0)
            measure("generated site (bench/sitegen.py, seed 0)", project / "content")


if __name__ == "__main__":
    main()
