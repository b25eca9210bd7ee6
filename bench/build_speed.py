"""Build time and size of generated help centers: kbgen against the plain engines, on MkDocs and on Zensical.

For the demo and each N, generate N realistic pages (bench/sitegen.py), build them with ``kbgen
build`` on each engine (``--engine mkdocs``, ``--engine zensical``) and, as the baselines in the
same run, with the engine's plain build (``mkdocs build`` and ``zensical build``: Material's look,
automatic nav, search) while that stays under the time budget. Prints seconds, peak memory, site size, the
largest page's HTML, the browser's search download (search index + contact suggestions, gzip),
and kbgen/plain ratios; then a no-change rebuild and a one-file-edit rebuild of the largest kbgen
site, and the edit loop of ``kbgen serve`` (an article edited, timed until the served page shows it).

    python bench/build_speed.py                 # demo, N = 500 1000 2000 5000 10000, both engines
    python bench/build_speed.py --sizes 500 1000 --plain-budget 120 --serve-pages 1000
    python bench/build_speed.py --sizes 1000 --engines zensical --serve-pages 0 --no-rebuild
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
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
REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "zensical")
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
    search = [site / "search" / "search_index.json", site / "search.json", site / "assets" / "kbgen" / "suggest.json"]  # Material's index or Zensical's
    download = b"".join(path.read_bytes() for path in search if path.is_file())
    return {
        "site_mb": sum(path.stat().st_size for path in files) / 1e6,
        "largest_page_kb": max(path.stat().st_size for path in pages) / 1e3,
        "search_kb_gzip": len(gzip.compress(download, 6, mtime=0)) / 1e3,
    }


def build(project: Path, config_text: str, tool: list[str], timeout: float, site_name: str = "site") -> dict[str, float] | None:
    config = project / "mkdocs.yml"
    config.write_text(config_text, encoding="utf-8")
    site = project / site_name
    result = measure([*tool, "-f", str(config), "-d", str(site)], timeout)
    if result is None:
        return None
    seconds, peak = result
    return {"seconds": seconds, "peak_mb": peak / 1024, **site_figures(site)}


def build_plain_zensical(project: Path, timeout: float) -> dict[str, float] | None:
    """Zensical on the plain config: it has no --site-dir, so the site folder is in the config (inside the project, as it requires)."""
    config = project / "zensical-plain.yml"
    config.write_text(PLAIN_CONFIG + "site_dir: site-plain-zensical\n", encoding="utf-8")
    site = project / "site-plain-zensical"
    result = measure([sys.executable, "-m", "zensical", "build", "-f", str(config)], timeout)
    if result is None:
        return None
    seconds, peak = result
    return {"seconds": seconds, "peak_mb": peak / 1024, **site_figures(site)}


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition, timeout: float) -> float | None:
    """Seconds until ``condition()`` holds, polling every 50 ms; None after ``timeout`` seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def serve_edit(project: Path, timeout: float = 1800) -> dict[str, float | None]:
    """Start ``kbgen serve`` on a free port, edit one article once the site is up, time until the served page shows the edit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    article = sorted((project / "content" / "faq").rglob("*.md"))[len(list((project / "content" / "faq").rglob("*.md"))) // 2]
    url = f"http://127.0.0.1:{port}/{article.relative_to(project / 'content').with_suffix('').as_posix()}/"
    command = [sys.executable, "-m", "kbgen", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    with open(project / "serve.log", "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            started = _wait_for(lambda: _fetch(url) is not None, timeout)
            if started is None:
                return {"started": None, "edit": None}
            marker = f"Edited while serving {time.time_ns()}."
            article.write_text(article.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            edit = _wait_for(lambda: marker in (_fetch(url) or ""), 300)
            return {"started": started, "edit": edit}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def print_targets(rows: list[dict], no_change_share: float, serve_edit_seconds: float | None) -> None:
    """The issue's targets, each with the figure measured in this run."""
    by_pages = {row["pages"]: row["kbgen"] for row in rows}
    checks = [("no page over 200 KB of HTML", max(figures["largest_page_kb"] for figures in by_pages.values()) <= 200,
               f"largest {max(figures['largest_page_kb'] for figures in by_pages.values()):.1f} KB"),
              ("no-change rebuild <= 25 % of a clean one", no_change_share <= 0.25, f"{no_change_share:.0%}")]
    if 5000 in by_pages:
        checks.append(("5,000 pages in <= 60 s", by_pages[5000]["seconds"] <= 60, f"{by_pages[5000]['seconds']:.1f} s"))
        checks.append(("search download at 5,000 pages <= 2 MB gzip", by_pages[5000]["search_kb_gzip"] <= 2000, f"{by_pages[5000]['search_kb_gzip']:.0f} KB"))
    if 5000 in by_pages and 10000 in by_pages:
        growth = by_pages[10000]["seconds"] / by_pages[5000]["seconds"]
        checks.append(("10,000 pages in <= 2.2x the 5,000 time", growth <= 2.2, f"x{growth:.2f}"))
    if serve_edit_seconds is not None:
        checks.append(("one-file edit visible in kbgen serve <= 3 s", serve_edit_seconds <= 3, f"{serve_edit_seconds:.1f} s"))
    print("\ntargets:")
    for name, met, figure in checks:
        print(f"  {'met    ' if met else 'MISSED '} {name}: {figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000, 10000])
    parser.add_argument("--plain-budget", type=float, default=600.0, help="seconds; plain MkDocs is skipped above the N where it exceeded this")
    parser.add_argument("--serve-pages", type=int, default=5000, help="size of the site whose kbgen serve edit loop is timed (0: none)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES), help="engines to build with (kbgen's and plain)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo help center (content/ of this repository)")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuilds of the largest site on MkDocs")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    arguments = parser.parse_args()
    rows, plain_exceeded = [], dict.fromkeys(arguments.engines, False)
    print(f"{'pages':>6} {'engine':>8} {'tool':>6} {'seconds':>8} {'peak MB':>8} {'site MB':>8} {'max page KB':>11} {'search KB gz':>12}")
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-", ignore_cleanup_errors=True) as temporary:
        sizes = ([] if arguments.no_demo else ["demo"]) + arguments.sizes
        for pages in sizes:
            if pages == "demo":
                project, kbgen_config = demo_project(Path(temporary) / "demo"), (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
            else:
                project, kbgen_config = generate_site(Path(temporary) / f"site-{pages}", pages), KBGEN_CONFIG
            row = {"pages": pages}
            for engine in arguments.engines:
                row[engine] = engine_row(project, kbgen_config, engine, arguments.plain_budget, plain_exceeded)
                print_engine_row(pages, engine, row[engine], arguments.plain_budget)
            rows.append(row)
        if arguments.no_rebuild or "mkdocs" not in arguments.engines or rows[-1]["pages"] == "demo":
            return write_json(arguments.json, rows)
        kbgen = [sys.executable, "-m", "kbgen", "build"]
        for row in rows:  # the rebuild and target checks read kbgen's MkDocs figures as "kbgen"
            row["kbgen"] = row["mkdocs"]["kbgen"]
        rows = [row for row in rows if row["pages"] != "demo"]
        largest = rows[-1]
        project = Path(temporary) / f"site-{largest['pages']}"
        shutil.rmtree(project / ".kbgen", ignore_errors=True)
        clean = build(project, KBGEN_CONFIG, kbgen, timeout=3600, site_name="site-mkdocs")  # the last engine's build left its caches: start again cold
        again = build(project, KBGEN_CONFIG, kbgen, timeout=3600, site_name="site-mkdocs")
        edited = next((project / "content" / "faq").rglob("*.md"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        one_edit = build(project, KBGEN_CONFIG, kbgen, timeout=3600, site_name="site-mkdocs")
        print(f"\nrebuild of {largest['pages']} pages: clean {clean['seconds']:.1f} s, no change {again['seconds']:.1f} s "
              f"({again['seconds'] / clean['seconds']:.0%} of clean), one file edited {one_edit['seconds']:.1f} s")
        if arguments.serve_pages:
            served = Path(temporary) / f"site-{arguments.serve_pages}"
            if not served.is_dir():
                generate_site(served, arguments.serve_pages)
            (served / "mkdocs.yml").write_text(KBGEN_CONFIG, encoding="utf-8")
            loop = serve_edit(served)
            shown = "not shown" if loop["edit"] is None else f"{loop['edit']:.1f} s"
            first = "did not start" if loop["started"] is None else f"{loop['started']:.1f} s"
            print(f"kbgen serve, {arguments.serve_pages} pages: first build {first}, one article edited -> visible in the served page after {shown}")
        if len(rows) >= 2 and rows[-2]["kbgen"]:
            growth = rows[-1]["kbgen"]["seconds"] / rows[-2]["kbgen"]["seconds"]
            print(f"kbgen time {rows[-2]['pages']} -> {rows[-1]['pages']} pages: x{growth:.2f} for x{rows[-1]['pages'] / rows[-2]['pages']:.1f} pages")
        serve_seconds = (loop["edit"] if loop["edit"] is not None else float("inf")) if arguments.serve_pages else None
        print_targets(rows, again["seconds"] / clean["seconds"], serve_seconds)
        write_json(arguments.json, rows)


def demo_project(folder: Path) -> Path:
    """A copy of the demo help center (its content, theme and mkdocs.yml), so its caches stay out of the repository."""
    for name in ("content", "theme"):
        shutil.copytree(REPO_ROOT / name, folder / name)
    return folder


def engine_row(project: Path, kbgen_config: str, engine: str, plain_budget: float, plain_exceeded: dict[str, bool]) -> dict[str, dict | None]:
    """kbgen's build on ``engine`` and the engine's plain build (skipped once it exceeded the budget at a smaller N)."""
    kbgen = [sys.executable, "-m", "kbgen", "build", "--engine", engine]
    shutil.rmtree(project / ".kbgen", ignore_errors=True)  # each engine's build starts cold: no parsed content, links or pages kept
    figures: dict[str, dict | None] = {"kbgen": build(project, kbgen_config, kbgen, timeout=3600, site_name=f"site-{engine}")}
    if plain_exceeded[engine]:
        figures["plain"] = None
        return figures
    if engine == "mkdocs":
        figures["plain"] = build(project, PLAIN_CONFIG, [sys.executable, "-m", "mkdocs", "build", "-q"], timeout=plain_budget, site_name="site-plain")
    else:
        figures["plain"] = build_plain_zensical(project, plain_budget)
    plain_exceeded[engine] = figures["plain"] is None
    for name in ("site-plain", "site-plain-zensical", ".cache"):  # gigabytes at a few thousand pages
        shutil.rmtree(project / name, ignore_errors=True)
    return figures


def print_engine_row(pages: int | str, engine: str, figures: dict[str, dict | None], plain_budget: float) -> None:
    for tool in ("kbgen", "plain"):
        found = figures.get(tool)
        if found:
            print(f"{pages:>6} {engine:>8} {tool:>6} {found['seconds']:>8.1f} {found['peak_mb']:>8.0f} {found['site_mb']:>8.1f} {found['largest_page_kb']:>11.1f} {found['search_kb_gzip']:>12.1f}")
        else:
            print(f"{pages:>6} {engine:>8} {tool:>6}  not run or timed out: the plain build exceeded {plain_budget:.0f} s")
    if figures.get("kbgen") and figures.get("plain"):
        ratio = figures["kbgen"]["seconds"] / figures["plain"]["seconds"]
        size_ratio = figures["kbgen"]["site_mb"] / figures["plain"]["site_mb"]
        print(f"{pages:>6} {engine:>8} ratio kbgen/plain: time {ratio:.2f}, site size {size_ratio:.2f}")


def write_json(path: Path | None, rows: list[dict]) -> None:
    if path is not None:
        path.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
