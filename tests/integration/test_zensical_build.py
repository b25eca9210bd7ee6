"""``kbgen build --engine zensical`` on the demo gives the pages and features of the default MkDocs build.

Both sites are built once; every page is compared on what kbgen adds (title, description, JSON-LD,
breadcrumbs, related links, the page's text and links, the ending and the widgets' settings).
Intended differences, asserted as such: Zensical's own search index (``search.json``, not Material's
``search/search_index.json``), no ``sitemap.xml.gz``, and the home page's ``<title>`` ("Home - site").
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from kbgen.build import build_site
from kbgen.engines import check_engine
from kbgen.errors import KbgenError
from kbgen.site.contact import SUGGEST_INDEX
from kbgen.site.stage import stage_site

pytest.importorskip("zensical")
bs4 = pytest.importorskip("bs4")

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
INTENDED_FILE_DIFFERENCES = ({"search/search_index.json", "sitemap.xml.gz"}, {"search.json"})  # (MkDocs only, Zensical only)


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO_ROOT / "mkdocs.yml", site_dir=tmp_path_factory.mktemp("mkdocs") / "site")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from kbgen.cli import main

    site = tmp_path_factory.mktemp("zensical") / "site"
    result = CliRunner().invoke(main, ["build", "--engine", "zensical", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(site)])
    assert result.exit_code == 0, result.output
    return site


def pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("index.html")}


def kbgen_files(site: Path) -> set[str]:
    """Every file but the engine's own theme assets."""
    return {
        path.relative_to(site).as_posix() for path in site.rglob("*")
        if path.is_file() and not path.relative_to(site).as_posix().startswith(("assets/javascripts/", "assets/stylesheets/", "assets/images/"))
    }


def _link(href: str) -> tuple[str, list[tuple[str, str]], str]:
    """A link as a browser follows it: path, decoded query (in any order), fragment."""
    parts = urlsplit(href)
    return parts.path, sorted(parse_qsl(parts.query)), parts.fragment


def _loop_settings(settings: dict) -> dict:
    """The widgets' settings; their URLs as the browser resolves them (Zensical's ``url`` filter writes "./contact/" for "contact/").

    ``index`` (which engine's search index the results page reads) is only set on the Zensical build.
    """
    return {key: (posixpath.normpath(value) if key in ("search", "contact") else value) for key, value in settings.items() if key != "index"}


def features(html: str) -> dict:
    """What kbgen adds to a page, as a reader and a crawler see it."""
    soup = bs4.BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    loop = soup.select_one("#kbgen-loop")

    def texts(selector: str) -> list[str]:
        return [" ".join(node.get_text(" ").split()) for node in soup.select(selector)]

    return {
        "description": (soup.find("meta", attrs={"name": "description"}) or {}).get("content"),
        "json_ld": [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")],
        "breadcrumbs": texts(".kb-breadcrumbs"),
        "related": [(link.get_text(), link["href"]) for link in soup.select(".kb-related a[href]")],
        "answers": texts(".kb-answer"),
        "accepted": texts(".kb-answer--accepted"),
        "text": " ".join(article.get_text(" ").split()),
        "links": [(link.get_text(), _link(link["href"])) for link in article.select("a[href]")],
        "ending": texts(".kb-page-end"),
        "loop": _loop_settings(json.loads(loop.string)) if loop is not None else None,
        "navigation": texts(".md-nav--primary > .md-nav__list > .md-nav__item"),
    }


def test_zensical_build_has_the_pages_of_the_mkdocs_build(mkdocs_site: Path, zensical_site: Path) -> None:
    assert pages(zensical_site) == pages(mkdocs_site)
    only_mkdocs, only_zensical = INTENDED_FILE_DIFFERENCES
    assert kbgen_files(mkdocs_site) - kbgen_files(zensical_site) == only_mkdocs
    assert kbgen_files(zensical_site) - kbgen_files(mkdocs_site) == only_zensical


def test_every_page_has_the_same_kbgen_features_on_both_engines(mkdocs_site: Path, zensical_site: Path) -> None:
    different = {}
    for page in sorted(pages(mkdocs_site)):
        expected = features((mkdocs_site / page).read_text(encoding="utf-8"))
        found = features((zensical_site / page).read_text(encoding="utf-8"))
        keys = sorted(key for key in expected if expected[key] != found[key])
        if keys:
            different[page] = keys
    assert different == {}


def test_zensical_site_has_answers_related_links_json_ld_and_the_contact_page(zensical_site: Path) -> None:
    thread = features((zensical_site / "community/invoices/recurring-invoice-not-sent-on-the-1st/index.html").read_text(encoding="utf-8"))
    assert len(thread["answers"]) == 3 and len(thread["accepted"]) == 1
    assert {data["@type"] for data in thread["json_ld"]} == {"QAPage", "BreadcrumbList"}
    article = features((zensical_site / "faq/billing/subscription-payment-failed/index.html").read_text(encoding="utf-8"))
    assert article["related"] and article["breadcrumbs"] == ["Home Plans & billing Your subscription payment failed"]
    assert {data["@type"] for data in article["json_ld"]} == {"FAQPage", "BreadcrumbList"}
    contact = (zensical_site / "contact/index.html").read_text(encoding="utf-8")
    assert 'id="kb-problem"' in contact and "assets/kbgen/contact.js" in contact
    assert json.loads((zensical_site / SUGGEST_INDEX).read_text(encoding="utf-8"))["pages"]


def test_suggestion_index_is_the_same_on_both_engines(mkdocs_site: Path, zensical_site: Path) -> None:
    assert (zensical_site / SUGGEST_INDEX).read_bytes() == (mkdocs_site / SUGGEST_INDEX).read_bytes()


def test_home_page_title_is_the_one_intended_difference(mkdocs_site: Path, zensical_site: Path) -> None:
    def title(site: Path) -> str:
        return bs4.BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").title.get_text()

    assert (title(mkdocs_site), title(zensical_site)) == ("Brightbill Help Center", "Home - Brightbill Help Center")


def test_staged_thread_page_is_one_raw_html_block_the_engine_leaves_alone(tmp_path: Path) -> None:
    """Untrusted thread text is sanitized HTML in the staged page; the site's Markdown must not read it as Markdown."""
    import markdown

    staged = stage_site(REPO_ROOT / "mkdocs.yml", tmp_path / "stage")
    source = (staged.docs_dir / "community/invoices/recurring-invoice-not-sent-on-the-1st.md").read_text(encoding="utf-8")
    _, front_matter, body = source.split("---\n", 2)
    html = markdown.markdown(body, extensions=["md_in_html", "attr_list", "tables", "toc"])
    assert " ".join(html.split()) == " ".join(body.split())
    assert "kbgen" in front_matter and "QAPage" in front_matter


def test_staged_config_inherits_the_teams_and_bounds_the_navigation(tmp_path: Path) -> None:
    import yaml

    staged = stage_site(REPO_ROOT / "mkdocs.yml", tmp_path / "stage")
    config = yaml.safe_load(staged.config_file.read_text(encoding="utf-8"))
    assert config["INHERIT"] == str((REPO_ROOT / "mkdocs.yml").resolve())
    entries = [entry if isinstance(entry, str) else next(iter(entry)) for entry in config["nav"]]
    assert entries == ["Home", "Help topics", "Community", "Tags", "contact.md"]
    assert (staged.root / "overrides/main.html").read_text(encoding="utf-8").startswith("{#- kbgen site stage")


def test_unknown_engine_is_a_kbgen_error_listing_the_engines() -> None:
    with pytest.raises(KbgenError, match="unknown engine 'hugo'") as raised:
        check_engine("hugo")
    assert "mkdocs, zensical" in raised.value.hint


def test_missing_zensical_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == "zensical" else real_find_spec(name, *args))
    with pytest.raises(KbgenError, match="Zensical is not installed") as raised:
        check_engine("zensical")
    assert "pip install 'kbgen[zensical]'" in raised.value.hint


def test_cli_reports_an_unknown_engine_as_a_usage_error(run_cli) -> None:
    for command in ("build", "serve"):
        result = run_cli(command, "--engine", "hugo", "-f", str(REPO_ROOT / "mkdocs.yml"))
        assert result.exit_code == 2  # the README's exit codes: an invalid option value is a usage error
        assert "'hugo' is not one of 'mkdocs', 'zensical'" in result.stderr and "Traceback" not in result.output
