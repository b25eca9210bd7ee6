"""How fast the contact page suggests answers on a 5,000-page help center, and what it downloads.

Generates N realistic pages (bench/sitegen.py; every category gets contact-form fields), builds
them with kbgen, serves the site on 127.0.0.1 and drives Chromium:

- keystroke to suggestions rendered (and to the next frame), median and p95 over Q queries typed
  as customers would (question variants, the last word cut short, some misspelling-free paraphrases);
- the ranking alone, against the baseline in the same page: a naive scan of the full text in
  Material's own search_index.json (every query word as a substring of every page);
- whether each query's own article is among the suggestions;
- bytes: the suggestion index and Material's search index (raw and gzip), and all the contact
  page downloads.

    python bench/contact_speed.py                  # N = 5000, Q = 30
    python bench/contact_speed.py --pages 1000 --keep /tmp/kb1000
"""

from __future__ import annotations

import argparse
import copy
import functools
import gzip
import http.server
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.build_speed import KBGEN_CONFIG  # noqa: E402
from bench.sitegen import generate_site  # noqa: E402
from kbgen.build import build_site  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
# build_speed's kbgen site; a short explicit nav keeps the build linear whatever the navigation does,
# and changes neither the contact page's data nor Material's search index.
CONFIG = KBGEN_CONFIG + "nav:\n  - index.md\n  - contact.md\n"
GENERATOR_MARKER = re.compile(r"\s*\((?:case|variant) [\d.]+\)")
SUPPORT = {
    "include": "The invoice or reference number and what you expected to happen.",
    "fields": [
        {"id": "reference", "label": "Invoice or reference number", "required": True},
        {"id": "device", "label": "Device and browser"},
        {"id": "plan", "label": "Your plan", "type": "select", "options": ["Starter", "Pro", "Business"]},
    ],
}

# In the page: time each keystroke to the page's "suggestions rendered" event and to the next frame.
MEASURE_SCRIPT = """
() => {
  const root = document.getElementById("kb-contact");
  window.benchStart = 0;
  window.benchResult = null;
  document.addEventListener("keydown", () => { window.benchStart = performance.now(); window.benchResult = null; }, true);
  root.addEventListener("kbgen:suggestions", (event) => {
    const rendered = performance.now();
    const start = window.benchStart;
    requestAnimationFrame(() => setTimeout(() => {
      window.benchResult = {rendered: rendered - start, frame: performance.now() - start, count: event.detail.count,
        titles: Array.from(document.querySelectorAll("#kb-suggestions .kb-suggestion__link")).map((link) => link.textContent)};
    }, 0));
  });
}
"""

# In the page: the kbgen ranking alone, and the naive full-text scan of Material's search index.
RANKING_SCRIPT = """
async (queries) => {
  const time = (work) => { const start = performance.now(); work(); return performance.now() - start; };
  const index = window.kbgenContact.index;
  const ours = queries.map((query) => time(() => index.search(query, 6)));
  const data = await (await fetch("../search/search_index.json")).json();
  const pages = data.docs.filter((doc) => !doc.location.includes("#")).map((doc) => ({title: doc.title, text: (doc.title + " " + doc.text).toLowerCase()}));
  const naive = queries.map((query) => time(() => {
    const words = query.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2);
    const scored = [];
    for (const page of pages) {
      let score = 0;
      for (const word of words) if (page.text.includes(word)) score += 1;
      if (score) scored.push([score, page.title]);
    }
    scored.sort((first, second) => second[0] - first[0]);
    return scored.slice(0, 6);
  }));
  return {ours, naive, pages: pages.length};
}
"""


# In the page: does the top suggestion ask the question typed? True when one of its questions (title or
# variant) has every word of the query (the half-typed last one as a prefix); generated sites repeat
# the same question in many pages, so "the article it came from" is not the right yardstick.
TOP_SCRIPT = """
(queries) => queries.map((query) => {
  const contact = window.kbgenContact;
  const [top] = contact.index.search(query, 1);
  if (!top) return false;
  const words = contact.analyse(query);
  return [top.page.title, ...top.page.questions].some((question) => {
    const terms = new Set(contact.analyse(question + ".").map((token) => token.term));
    return words.every((word) => terms.has(word.term) || (word.typing && [...terms].some((term) => term.startsWith(word.term) || word.word.startsWith(term))));
  });
})
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def make_project(project: Path, pages: int, seed: int) -> None:
    generate_site(project, pages, seed=seed)
    categories_file = project / "content" / "categories.yml"
    categories = yaml.safe_load(categories_file.read_text(encoding="utf-8"))
    for settings in categories.values():
        settings["support"] = copy.deepcopy(SUPPORT)  # one copy each: YAML aliases are refused in content
    categories_file.write_text(yaml.safe_dump(categories, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")


def without_marker(text: str) -> str:
    """A generated question without the "(variant 12.3)" / "(case 12)" that makes it unique."""
    return GENERATOR_MARKER.sub("", text).rstrip("?").strip().lower()


def pick_queries(site_content: Path, count: int, seed: int) -> list[str]:
    """Questions as customers type them, from the generated articles' variants and titles (markers removed)."""
    rng = random.Random(seed)
    articles = sorted((site_content / "faq").rglob("*.md"))
    queries = []
    for path in rng.sample(articles, count):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        text = without_marker(rng.choice([*front["questions"], front["title"]]))
        if rng.random() < 0.5:
            text = text[: -rng.randint(1, 3)]  # the customer is still typing the last word
        queries.append(text)
    return queries


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *arguments: object) -> None:  # noqa: A002 - the standard library's name
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure_browser(site: Path, base: str, queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    downloaded: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("requestfinished", lambda request: downloaded.append(request.url))
        page.goto(base + "contact/", wait_until="networkidle")
        page.wait_for_function("window.kbgenContact && window.kbgenContact.index")
        load = page.evaluate("window.kbgenContact.timing")
        page_requests = list(downloaded)
        page.evaluate(MEASURE_SCRIPT)
        keystrokes = []
        for text in queries:
            page.fill("#kb-problem", text[:-1])  # ranks and renders synchronously, before the timed key
            page.keyboard.press("End")
            page.evaluate("window.benchResult = null")
            page.keyboard.type(text[-1])
            keystrokes.append(page.wait_for_function("window.benchResult").json_value())
        tops = page.evaluate(TOP_SCRIPT, queries)
        ranking = page.evaluate(RANKING_SCRIPT, queries)
        browser.close()
    outside = [url for url in downloaded if urlsplit(url).hostname != "127.0.0.1"]
    files = [site / urlsplit(url).path.lstrip("/") for url in page_requests]
    files = [path / "index.html" if path.is_dir() else path for path in files]
    contents = [path.read_bytes() for path in files if path.is_file()]
    return {
        "load": load, "keystrokes": keystrokes, "ranking": ranking, "outside": outside, "tops": tops,
        "page_raw": sum(map(len, contents)), "page_gzip": sum(map(gzip_size, contents)), "page_files": len(contents),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build here and reuse the site if it is already built")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kbgen-contact-bench-") as scratch:
        project = arguments.keep or Path(scratch) / "project"
        site = project / "site"
        if not (site / "contact" / "index.html").is_file():
            make_project(project, arguments.pages, arguments.seed)
            started = time.perf_counter()
            build_site(project / "mkdocs.yml")
            print(f"built {arguments.pages} pages in {time.perf_counter() - started:.1f} s")
        queries = pick_queries(project / "content", arguments.queries, arguments.seed)
        server, base = serve(site)
        try:
            figures = measure_browser(site, base, queries)
        finally:
            server.shutdown()

        suggest = (site / "assets/kbgen/suggest.json").read_bytes()
        search = (site / "search/search_index.json").read_bytes()
        rendered = [result["rendered"] for result in figures["keystrokes"]]
        frames = [result["frame"] for result in figures["keystrokes"]]
        ours, naive = figures["ranking"]["ours"], figures["ranking"]["naive"]
        print(f"\ncontact page on {arguments.pages} pages, {len(queries)} queries (Chromium, 2 cores)")
        print(f"  keystroke -> suggestions rendered : median {statistics.median(rendered):6.1f} ms   p95 {percentile(rendered, 0.95):6.1f} ms")
        print(f"  keystroke -> next frame painted   : median {statistics.median(frames):6.1f} ms   p95 {percentile(frames, 0.95):6.1f} ms")
        print(f"  ranking alone (kbgen index)       : median {statistics.median(ours):6.2f} ms   p95 {percentile(ours, 0.95):6.2f} ms")
        print(f"  baseline: naive full-text scan    : median {statistics.median(naive):6.2f} ms   p95 {percentile(naive, 0.95):6.2f} ms"
              f"   ({figures['ranking']['pages']} pages of search_index.json)")
        print(f"  ratio naive / kbgen (median)      : {statistics.median(naive) / max(statistics.median(ours), 1e-3):.1f}x")
        print(f"  index ready after load            : download+parse {figures['load']['loadMilliseconds']:.0f} ms, index build {figures['load']['indexMilliseconds']:.0f} ms")
        print(f"  top suggestion asks that question : {sum(figures['tops'])}/{len(queries)} (every word typed is in its title or one variant)")
        print(f"\n  suggest.json (kbgen)              : {len(suggest) / 1e6:6.2f} MB raw   {gzip_size(suggest) / 1e3:7.0f} KB gzip")
        print(f"  baseline: search_index.json       : {len(search) / 1e6:6.2f} MB raw   {gzip_size(search) / 1e3:7.0f} KB gzip")
        print(f"  ratio search_index / suggest      : {len(search) / len(suggest):.1f}x raw, {gzip_size(search) / gzip_size(suggest):.1f}x gzip")
        print(f"  contact page, all downloads       : {figures['page_raw'] / 1e6:6.2f} MB raw   {figures['page_gzip'] / 1e3:7.0f} KB gzip"
              f"   ({figures['page_files']} files; includes Material's search index, which its search box loads on every page)")
        print(f"  requests to other hosts           : {len(figures['outside'])}")


if __name__ == "__main__":
    main()
