"""Benchmark ``kbgen import stackexchange``: posts per second and peak memory, against ElementTree.parse.

Imports the largest real export in ../shared/data (cstheory meta, 2019) and generated dumps of
10k and 100k posts (written to a temporary folder), each in a fresh subprocess so that its peak
resident memory (``ru_maxrss``) is its own. Posts per second are printed by wall clock (the
target, 5,000) and by the import's CPU time (what it costs when the machine is shared). The baseline, measured in the same run on the same
files, is what a naive importer starts with: ``xml.etree.ElementTree.parse`` of Posts.xml (just
the parse, no conversion), whose memory grows with the file. kbgen's must stay flat.

    python bench/import_speed.py [--posts 100000] [--small 10000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_POSTS_PER_SECOND = 5_000  # a 1M-post dump in under 3.5 minutes
REAL_DUMP = REPO_ROOT.parent / "shared" / "data" / "stackexchange_cstheory_meta_2019" / "Posts.xml.gz"

WORDS = (
    "invoice payment bank feed reconnect consent expired stripe payout reminder currency receipt scan "
    "export csv webhook signature api token rate limit retry customer account password tax vat total"
).split()
SENTENCES = (
    "I tried to {w} the {w} but it fails with <code>ERR_{W}</code>.",
    "See <a href=\"https://example.com/docs/{w}\">the {w} docs</a> for details.",
    "It worked last week, then the {w} stopped after the {w} changed.",
    "I've already checked the {w} settings and restarted the app.",
)


def _sentence(generator: random.Random) -> str:
    template = generator.choice(SENTENCES)
    while "{w}" in template or "{W}" in template:
        word = generator.choice(WORDS)
        template = template.replace("{w}", word, 1) if "{w}" in template else template.replace("{W}", word.upper(), 1)
    return template


def _body(generator: random.Random) -> str:
    paragraphs = [" ".join(_sentence(generator) for _ in range(generator.randint(1, 3))) for _ in range(generator.randint(1, 3))]
    html = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    if generator.random() < 0.4:
        html += "<ul>\n" + "".join(f"<li>{generator.choice(WORDS)} {generator.choice(WORDS)}</li>\n" for _ in range(3)) + "</ul>\n"
    if generator.random() < 0.3:
        html += f"<pre><code>curl -X POST https://api.example.com/v1/{generator.choice(WORDS)}\n</code></pre>\n"
    return html


def generate_dump(folder: Path, posts: int, seed: int = 7) -> Path:
    """A Posts.xml of ``posts`` rows: a third questions, the rest answers that arrive later in the file."""
    generator = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Posts.xml"
    questions = posts // 3
    open_questions: list[int] = []
    with path.open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        question_count = 0
        for post_id in range(1, posts + 1):
            date = f"2017-{1 + post_id * 12 // (posts + 1):02d}-{1 + post_id % 28:02d}T10:{post_id % 60:02d}:00.000"
            body = quoteattr(_body(generator))
            if (question_count < questions and (not open_questions or generator.random() < 0.34)) or not open_questions:
                question_count += 1
                title = quoteattr(f"How do I fix the {generator.choice(WORDS)} {generator.choice(WORDS)} error ({post_id})?")
                accepted = f' AcceptedAnswerId="{post_id + 1}"' if generator.random() < 0.3 and post_id < posts else ""
                stream.write(f'  <row Id="{post_id}" PostTypeId="1"{accepted} CreationDate="{date}" Score="{generator.randint(-2, 30)}" '
                             f'Body={body} OwnerUserId="{generator.randint(1, 5000)}" Title={title} Tags="&lt;{generator.choice(WORDS)}&gt;" />\n')  # fmt: skip
                open_questions.append(post_id)
                open_questions = open_questions[-200:]  # answers go to recent questions, as on a real site
            else:
                parent = generator.choice(open_questions)
                stream.write(f'  <row Id="{post_id}" PostTypeId="2" ParentId="{parent}" CreationDate="{date}" '
                             f'Score="{generator.randint(-1, 20)}" Body={body} OwnerUserId="{generator.randint(1, 5000)}" />\n')  # fmt: skip
        stream.write("</posts>\n")
    return path


def count_posts(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as stream:
        return sum(len(re.findall(r'PostTypeId="[12]"', line)) for line in stream)


def _peak_megabytes() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries the forking parent's maxrss across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(mode: str, posts_file: Path, site_url: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    if mode == "kbgen":
        from kbgen.community.stackexchange import read_stackexchange
        from kbgen.community.store import ImportOptions, import_threads
        with tempfile.TemporaryDirectory() as warm_up:  # lazy imports, caches and regexes first, so growth is per post
            import_threads(read_stackexchange(generate_dump(Path(warm_up) / "warm", 300), site_url), Path(warm_up) / "community")
    else:
        from xml.etree import ElementTree
    before = _peak_megabytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as target:
        if mode == "kbgen":
            report = import_threads(read_stackexchange(posts_file, site_url), Path(target) / "community", ImportOptions(include_unanswered=True))
            written = report.added
        else:
            with (gzip.open(posts_file) if posts_file.suffix == ".gz" else open(posts_file, "rb")) as stream:
                written = len(ElementTree.parse(stream).getroot())
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        peak = _peak_megabytes()  # before the bench deletes the imported files: that is not the import's memory
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak, "start_mb": before, "items": written}))


def measure(mode: str, posts_file: Path, site_url: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(posts_file), "--site-url", site_url],
        check=True, capture_output=True, text=True, cwd=REPO_ROOT,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000, help="rows in the large generated dump")
    parser.add_argument("--small", type=int, default=10_000, help="rows in the small generated dump")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "POSTS_FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--site-url", default="https://bench.stackexchange.com", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child[0], Path(arguments.child[1]), arguments.site_url)
        return
    with tempfile.TemporaryDirectory(prefix="kbgen-import-bench-") as folder:
        cases = []
        if REAL_DUMP.is_file():
            cases.append(("cstheory meta 2019 (real)", REAL_DUMP, "https://cstheory.meta.stackexchange.com"))
        else:
            print(f"(real dump not found at {REAL_DUMP}; generated dumps only)")
        for size in (arguments.small, arguments.posts):
            started = time.perf_counter()
            path = generate_dump(Path(folder) / f"gen{size}", size)
            print(f"generated {size:,} posts ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s", flush=True)
            cases.append((f"generated {size:,}", path, "https://bench.stackexchange.com"))
        print(f"\n{'dump':<28}{'posts':>9}  {'kbgen s':>8}{'posts/s':>9}{'CPU p/s':>9}{'peak MB':>9}{'(+start)':>9}   {'ET.parse s':>10}{'peak MB':>9}{'(+start)':>9}")
        peaks: dict[str, tuple[float, float]] = {}
        rates: dict[str, tuple[float, float]] = {}
        for name, path, site in cases:
            posts = count_posts(path)
            ours = measure("kbgen", path, site)
            baseline = measure("etree", path, site)
            ours_growth, baseline_growth = ours["peak_mb"] - ours["start_mb"], baseline["peak_mb"] - baseline["start_mb"]
            peaks[name] = (ours_growth, baseline_growth)
            rates[name] = (posts / ours["seconds"], posts / max(ours["cpu_seconds"], 1e-9))
            print(f"{name:<28}{posts:>9,}  {ours['seconds']:>8.1f}{rates[name][0]:>9,.0f}{rates[name][1]:>9,.0f}{ours['peak_mb']:>9.0f}{ours_growth:>+9.0f}"
                  f"   {baseline['seconds']:>10.2f}{baseline['peak_mb']:>9.0f}{baseline_growth:>+9.0f}", flush=True)  # fmt: skip
        small, large = peaks[f"generated {arguments.small:,}"], peaks[f"generated {arguments.posts:,}"]
        scale = arguments.posts / arguments.small
        print(f"\nmemory growth over start, {arguments.posts:,} vs {arguments.small:,} posts ({scale:.0f}x the data):")
        print(f"  kbgen import (streamed):   {large[0]:.0f} MB vs {small[0]:.0f} MB, ratio {large[0] / max(small[0], 1):.2f}")
        print(f"  ElementTree.parse (tree):  {large[1]:.0f} MB vs {small[1]:.0f} MB, ratio {large[1] / max(small[1], 1):.2f}")
        print(f"  at {arguments.posts:,} posts kbgen needs {large[0] / max(large[1], 1):.2f}x the extra memory of the bare parse")
        wall, cpu = rates[f"generated {arguments.posts:,}"]
        verdict = "met" if wall >= TARGET_POSTS_PER_SECOND else "NOT met"
        print(f"\ntarget {TARGET_POSTS_PER_SECOND:,} posts/s at {arguments.posts:,} posts: {wall:,.0f} posts/s wall clock ({verdict}), {cpu:,.0f} posts/s of CPU time;"
              f" ratio to the target {wall / TARGET_POSTS_PER_SECOND:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
