"""What kbgen's page templates cost: the time spent rendering them, against the build they are part of.

For each N, generate N realistic pages (bench/sitegen.py) and build them in this process with
``kbgen build`` (kbgen.build.build_site) three ways: in English, in German (``theme.language: de``)
and in English with a team's ``custom_dir`` that overrides one partial (related links) and one
block (the home page's top questions). Prints each build's seconds, the seconds spent in
``SiteTemplates.render`` (every kbgen page part: article and thread pages, listings, breadcrumbs,
related links), its share of the build (the baseline is the build itself, in the same run), the
number of renders and the mean per render, and the German and override builds' render time as a
ratio of the English one's.

    python bench/template_speed.py                 # N = 1000 5000
    python bench/template_speed.py --sizes 500
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build_speed import KBGEN_CONFIG  # noqa: E402
from bench.sitegen import generate_site  # noqa: E402
from kbgen.build import build_site  # noqa: E402
from kbgen.site.render.templates import SiteTemplates  # noqa: E402

OVERRIDES = {
    "kbgen/partials/related.html": (
        '<aside class="team-related">{% for key, links in groups %}<h2>{{ t("related." ~ key) }}</h2>'
        "{% for item in links %}{{ link(href(item.path), item.title) }}{% endfor %}{% endfor %}</aside>"
    ),
    "kbgen/home.html": '{% extends "kbgen/pages/home.html" %}\n{% block top_questions %}\n<p class="team">{{ t("home.top_questions") }}</p>\n{% endblock %}\n',
}


class RenderTimer:
    """Seconds and calls of SiteTemplates.render during a build."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        render = SiteTemplates.render
        timer = self

        def timed(self: SiteTemplates, name: str, **context: object) -> str:
            started = time.perf_counter()
            try:
                return render(self, name, **context)
            finally:
                timer.seconds += time.perf_counter() - started
                timer.calls += 1

        SiteTemplates.render = timed  # type: ignore[method-assign]

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


def configure(project: Path, variant: str) -> Path:
    """The generated site's config for one variant: "en", "de" or "override" (English with a custom_dir)."""
    text = KBGEN_CONFIG
    if variant == "de":
        text = text.replace("  name: material\n", "  name: material\n  language: de\n", 1)
    if variant == "override":
        overrides = project / "overrides"
        for name, body in OVERRIDES.items():
            (overrides / name).parent.mkdir(parents=True, exist_ok=True)
            (overrides / name).write_text(body, encoding="utf-8")
        text = text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    assert text != KBGEN_CONFIG or variant == "en", "KBGEN_CONFIG changed shape: its theme has no 'name: material' line"
    config = project / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    arguments = parser.parse_args()
    timer = RenderTimer()
    print(f"{'pages':>6} {'build':>9} {'seconds':>8} {'render s':>9} {'share':>6} {'renders':>8} {'µs/render':>10} {'render ×en':>11}")
    with tempfile.TemporaryDirectory(prefix="kbgen-bench-", ignore_cleanup_errors=True) as temporary:
        for pages in arguments.sizes:
            english = 0.0
            for variant in ("en", "de", "override"):
                project = generate_site(Path(temporary) / f"site-{pages}-{variant}", pages)
                config = configure(project, variant)
                timer.reset()
                started = time.perf_counter()
                build_site(config)
                seconds = time.perf_counter() - started
                english = english or timer.seconds
                print(
                    f"{pages:>6} {variant:>9} {seconds:>8.2f} {timer.seconds:>9.2f} {timer.seconds / seconds:>6.1%} {timer.calls:>8}"
                    f" {timer.seconds / max(timer.calls, 1) * 1e6:>10.0f} {timer.seconds / english:>11.2f}"
                )


if __name__ == "__main__":
    main()
