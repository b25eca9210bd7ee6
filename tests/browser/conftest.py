"""Browser fixtures: Debian's chromium through Playwright, a local static server, the demo site built once.

Reusable by every browser test module:
- ``browser``: one chromium per session; ``page``: a fresh context and page per test (1280x900).
- ``serve_directory(path) -> base URL``: serves a built site over HTTP on 127.0.0.1 (a free port).
- ``demo_site``: the repository's demo help center, built once per session into a temp folder;
  ``demo_url``: its base URL, served.
- ``build_demo_with(kbgen_options) -> base URL``: the demo built with extra ``kbgen`` plugin options, served;
- ``axe_source``: axe-core from tests/browser/node_modules (``npm ci --prefix tests/browser``).
- ``screenshot_path(name)``: tests/browser/screenshots/<name>.png (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kbgen.build import build_site

BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_DIR.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
AXE_SCRIPT = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BROWSER_DIR / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def serve_directory() -> Iterator[Callable[[Path], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(directory: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo help center (mkdocs.yml at the repository root), built once for the session."""
    return build_site(REPO_ROOT / "mkdocs.yml", site_dir=tmp_path_factory.mktemp("demo") / "site")


@pytest.fixture(scope="session")
def demo_url(demo_site: Path, serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(demo_site)


@pytest.fixture(scope="session")
def build_demo_with(tmp_path_factory: pytest.TempPathFactory, serve_directory: Callable[[Path], str]) -> Callable[[dict], str]:
    """Build the demo with ``kbgen_options`` merged into its kbgen plugin options; returns the served site's URL."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    def build(kbgen_options: dict) -> str:
        config_file = REPO_ROOT / "mkdocs.yml"
        with open(config_file, encoding="utf-8") as file:
            plugins = yaml_load(file)["plugins"]
        plugins = [
            {"kbgen": {**(entry["kbgen"] or {}), **kbgen_options}} if isinstance(entry, dict) and "kbgen" in entry
            else {"kbgen": kbgen_options} if entry == "kbgen" else entry
            for entry in plugins
        ]
        site = tmp_path_factory.mktemp("demo-variant") / "site"
        mkdocs_build(load_config(str(config_file), site_dir=str(site), plugins=plugins))
        return serve_directory(site)

    return build


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.skip(f"axe-core is not installed: run 'npm ci --prefix {BROWSER_DIR.relative_to(REPO_ROOT)}' ({AXE_SCRIPT} missing)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def screenshot_path() -> Callable[[str], Path]:
    SCREENSHOTS.mkdir(exist_ok=True)
    return lambda name: SCREENSHOTS / f"{name}.png"
