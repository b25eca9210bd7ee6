"""Build time and size of generated help centers: kbgen against plain MkDocs + Material.

For each N, generate N realistic pages (bench/sitegen.py), build them with ``kbgen build`` and,
as the baseline in the same run, with plain ``mkdocs build`` (Material, automatic nav, search
plugin) while that stays under the time budget. Prints seconds, peak memory, site size, the
largest page's HTML, the browser's search download, and kbgen/plain ratios; then a no-change
rebuild and a one-file-edit rebuild of the largest kbgen site.

    python bench/build_speed.py                 # N = 500 1000 2000 5000 10000
    python bench/build_speed.py --sizes 500 1000 --plain-budget 120
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.sitegen import generate_site  # noqa: E402

PLAIN_CONFIG = """\
site_name: Plain baseline
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
"""
KBGEN_CONFIG = PLAIN_CONFIG.replace("site_name: Plain baseline", "site_name: kbgen").replace("  - search\n", "  - search\n  - kbgen\n")

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "seconds = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(code.stderr[-2000:] if code.returncode else '')\n"
    "print(code.returncode, seconds, peak)\n"
)


def measure(command: list[str], timeout: float) -> tuple[float, int] | None:
    """Run ``command`` in a fresh process; return (seconds, peak RSS in KiB), None on timeout."""
    process = subprocess.Popen([sys.executable, "-c", _MEASURE, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the build itself is a grandchild: stop the whole group
        process.communicate()
        return None
    code, seconds, peak = stdout.split()
    if code != "0":
        raise SystemExit(f"build failed: {' '.join(command)}\n{stderr}")
    return float(seconds), int(peak)


def site_figures(site: Path) -> dict[str, float]:
    files = [path for path in site.rglob("*") if path.is_file()]
    pages = [path for path in files if path.suffix == ".html"]
    search = [site / "search" / "search_index.json", site / "assets" / "kbgen" / "suggest.json"]
    download = b"".join(path.read_bytes() for path in search if path.is_file())
    return {
        "site_mb": sum(path.stat().st_size for path in files) / 1e6,
        "largest_page_kb": max(path.stat().st_size for path in pages) / 1e3,
        "search_kb_gzip": len(gzip.compress(download, 6, mtime=0)) / 1e3,
    }


def build(project: Path, config_text: str, tool: list[str], timeout: float) -> dict[str, float] | None:
    config = project / "mkdocs.yml"
    config.write_text(config_text, encoding="utf-8")
    site = project / "site"
    result = measure([*tool, "-f", str(config), "-d", str(site)], timeout)
    if result is None:
        return None
    seconds, peak = result
    return {"seconds": seconds, "peak_mb": peak / 1024, **site_figures(site)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000, 10000])
    parser.add_argument("--plain-budget", type=float, default=600.0, help="seconds; plain MkDocs is skipped above the N where it exceeded this")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    arguments = parser.parse_args()
    kbgen = [sys.executable, "-m", "kbgen", "build"]
    plain = [sys.executable, "-m", "mkdocs", "build", "-q"]
    rows, plain_exceeded = [], False
    header = f"{'pages':>6} {'tool':>6} {'seconds':>8} {'peak MB':>8} {'site MB':>8} {'max page KB':>11} {'search KB gz':>12}"
    print(header)
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-", ignore_cleanup_errors=True) as temporary:
        for pages in arguments.sizes:
            project = generate_site(Path(temporary) / f"site-{pages}", pages)
            row = {"pages": pages, "kbgen": build(project, KBGEN_CONFIG, kbgen, timeout=3600)}
            if not plain_exceeded:
                row["plain"] = build(project, PLAIN_CONFIG, plain, timeout=arguments.plain_budget)
                plain_exceeded = row["plain"] is None
            for tool in ("kbgen", "plain"):
                figures = row.get(tool)
                if figures:
                    print(f"{pages:>6} {tool:>6} {figures['seconds']:>8.1f} {figures['peak_mb']:>8.0f} {figures['site_mb']:>8.1f} {figures['largest_page_kb']:>11.1f} {figures['search_kb_gzip']:>12.1f}")
                elif tool == "plain":
                    print(f"{pages:>6} {tool:>6}  not run: plain MkDocs exceeded {arguments.plain_budget:.0f} s at a smaller N" if plain_exceeded and "plain" not in row else f"{pages:>6} {tool:>6}  timed out after {arguments.plain_budget:.0f} s")
            if row.get("plain"):
                ratio = row["kbgen"]["seconds"] / row["plain"]["seconds"]
                size_ratio = row["kbgen"]["site_mb"] / row["plain"]["site_mb"]
                print(f"{pages:>6} ratio kbgen/plain: time {ratio:.2f}, site size {size_ratio:.2f}")
            rows.append(row)
        largest = rows[-1]
        project = Path(temporary) / f"site-{largest['pages']}"
        config = project / "mkdocs.yml"
        config.write_text(KBGEN_CONFIG, encoding="utf-8")
        clean = build(project, KBGEN_CONFIG, kbgen, timeout=3600)
        again = build(project, KBGEN_CONFIG, kbgen, timeout=3600)
        edited = next((project / "content" / "faq").rglob("*.md"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        one_edit = build(project, KBGEN_CONFIG, kbgen, timeout=3600)
        print(f"\nrebuild of {largest['pages']} pages: clean {clean['seconds']:.1f} s, no change {again['seconds']:.1f} s "
              f"({again['seconds'] / clean['seconds']:.0%} of clean), one file edited {one_edit['seconds']:.1f} s")
        if len(rows) >= 2 and rows[-2]["kbgen"]:
            growth = rows[-1]["kbgen"]["seconds"] / rows[-2]["kbgen"]["seconds"]
            print(f"kbgen time {rows[-2]['pages']} -> {rows[-1]['pages']} pages: x{growth:.2f} for x{rows[-1]['pages'] / rows[-2]['pages']:.1f} pages")
        if arguments.json:
            arguments.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
