"""The demo built in English, German and French (``theme.language``), and a team's template override.

Every string kbgen adds comes from its table for the language: the German and French sites carry
the translations and none of kbgen's English strings (the demo's content is English, so a string
is checked only where the content does not itself contain it).
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from demo_config import REPO_ROOT, demo_config

from kbgen.build import build_site
from kbgen.site.i18n import Translations, read_table
from kbgen.site.structure.help_center import SiteTitles

PAGES = (
    "", "faq/billing/", "tags/", "tags/refunds/", "community/", "community/unanswered/", "contact/", "search/",
    "faq/billing/change-your-plan/", "community/billing/upgrade-mid-cycle-charged-twice/",
)


@pytest.fixture(scope="module", params=["de", "fr"])
def translated(request, tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp(request.param)
    return request.param, build_site(demo_config(folder, request.param), site_dir=folder / "site")


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("en")
    return build_site(demo_config(folder, "en"), site_dir=folder / "site")


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def kbgen_text(html: str) -> str:
    """The page as a reader meets it: text and attribute values, entities read, scripts' JSON left out (it holds the tables)."""
    html = re.sub(r"<script[^>]*>.*?</script>", " ", html, flags=re.DOTALL)
    attributes = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html) + " " + attributes
    return " ".join(text.replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"').split())


def english_phrases() -> set[str]:
    """kbgen's English strings without their placeholders: the pieces of two words or more a page would show."""
    phrases = set()
    for key, value in read_table("en").items():
        if key in ("language_name", "date_format") or key.startswith("script."):
            continue  # the scripts' strings are shown by the browser (see the browser test), not in the HTML
        for template in value.values() if isinstance(value, dict) else [value]:
            for literal, *_ in string.Formatter().parse(template):
                piece = literal.strip(" ,.:()·—→←↓“”")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                    phrases.add(piece)
    return phrases


def content_text() -> str:
    return " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in (REPO_ROOT / "content").rglob("*") if path.is_file())


def test_german_and_french_sites_carry_no_english_string_of_kbgen(translated):
    language, site = translated
    written = content_text()
    phrases = sorted(phrase for phrase in english_phrases() if phrase not in written)
    assert len(phrases) > 100  # the check covers kbgen's strings, not a handful
    left = {url: [phrase for phrase in phrases if phrase in kbgen_text(page(site, url))] for url in PAGES}
    assert {url: found for url, found in left.items() if found} == {}


EXPECTED = {
    "de": {
        "": ["Wie können wir helfen?", "Häufige Fragen", "Nach Thema stöbern", "Aus der Community", "Hilfethemen"],
        "faq/billing/change-your-plan/": ["Auch gefragt als", "Aktualisiert am", "War dieser Artikel hilfreich?", "Brauchen Sie noch Hilfe?", "Startseite"],
        "community/billing/upgrade-mid-cycle-charged-twice/": ["Akzeptierte Antwort", "Kurz gesagt", "Gefragt von", "Antworten"],
        "contact/": ["Support kontaktieren", "Wobei brauchen Sie Hilfe?", "Anfrage prüfen", "(Pflichtfeld)"],
        "search/": ["Im Hilfe-Center suchen", "Weitere Ergebnisse anzeigen"],
        "community/": ["Diskussionen filtern", "Unbeantwortet", "Gelöst"],
    },
    "fr": {
        "": ["Comment pouvons-nous vous aider ?", "Questions fréquentes", "Parcourir par sujet", "Rubriques d’aide"],
        "faq/billing/change-your-plan/": ["Autres formulations", "Mis à jour le", "Cet article vous a-t-il aidé ?", "Accueil"],
        "community/billing/upgrade-mid-cycle-charged-twice/": ["Réponse acceptée", "En bref", "Question de"],
        "contact/": ["Contacter le support", "Pour quoi avez-vous besoin d’aide ?", "Vérifier ma demande", "(obligatoire)"],
        "search/": ["Rechercher dans le centre d’aide", "Afficher plus de résultats"],
        "community/": ["Filtrer les discussions", "Sans réponse", "Résolues"],
    },
}


def test_navigation_and_breadcrumb_labels_are_translated(translated):
    language, site = translated
    english, titles = SiteTitles(), SiteTitles.of(Translations(language).plain)
    words = [getattr(english, name) for name in ("home", "tags", "recent", "unanswered", "solved") if getattr(english, name) != getattr(titles, name)]
    for url in PAGES:
        html = page(site, url)
        assert [word for word in words if re.search(rf">\s*{word}\s*<", html)] == [], url
    assert re.search(rf">\s*{titles.home}\s*<", page(site, "faq/billing/"))


def test_translated_sites_show_the_language_table(translated):
    language, site = translated
    for url, phrases in EXPECTED[language].items():
        text = kbgen_text(page(site, url))
        assert [phrase for phrase in phrases if phrase not in text] == [], url


def test_dates_are_written_in_the_site_language(translated, english):
    language, site = translated
    updated = re.search(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">([^<]+)</time>', page(english, "faq/billing/change-your-plan/"))
    assert updated is not None
    shown = re.search(rf'<time datetime="{updated[1]}-{updated[2]}-{updated[3]}">([^<]+)</time>', page(site, "faq/billing/change-your-plan/"))
    day = str(int(updated[3]))
    assert shown is not None and shown[1] != updated[4] and shown[1].startswith(day + ("." if language == "de" else " "))


def test_scripts_get_the_language_table_as_json(translated):
    language, site = translated
    island = re.search(r'<script id="kbgen-strings" type="application/json">(.*?)</script>', page(site, "contact/"), re.DOTALL)
    assert island is not None
    data = json.loads(island[1])
    table = read_table(language)
    for number, group in enumerate(("page", "contact")):
        assert data["strings"][number] == {key.removeprefix(f"script.{group}."): value for key, value in table.items() if key.startswith(f"script.{group}.")}
    assert data["language"] == language and data["strings"][2] == {}  # the search page's strings stay on the search page
    assert '<html lang="' + language + '"' in page(site, "contact/")  # Material's own strings follow theme.language too


def test_english_site_is_unchanged_by_the_tables(english):
    home = kbgen_text(page(english, ""))
    assert "How can we help?" in home and "Browse by topic" in home and "Help topics" in home


def test_a_partial_and_a_block_in_the_teams_custom_dir_replace_kbgens(tmp_path):
    """The README's example: tests/fixtures/overrides is a team's custom_dir (it replaces the demo's theme folder)."""
    site = build_site(demo_config(tmp_path / "project", "de", custom_dir=REPO_ROOT / "tests/fixtures/overrides"), site_dir=tmp_path / "site")
    article = page(site, "faq/billing/download-brightbill-invoices/")  # related to three articles, none linked in its text
    assert '<nav class="team-related" aria-label="Verwandte Artikel"><ul>' in article and '<li class="team-related__articles"><a href="../' in article
    assert "kb-related__group" not in article
    home = page(site, "")
    assert '<p class="team-welcome">Häufige Fragen: <a href="faq/getting-started/">Getting started</a></p>' in home
    assert home.index("team-welcome") < home.index('<ol class="kb-top-questions">')  # super(): kbgen's block follows the team's line
    assert "Nach Thema stöbern" in home  # the blocks the team did not override stay kbgen's


def test_a_build_leaves_no_language_behind(translated):
    from kbgen.site.render.templates import default_templates

    assert default_templates().language == "en" and not default_templates().custom_dirs


def test_zensical_builds_the_german_site_with_no_english_string_of_kbgen(tmp_path):
    """The stage renders in ``theme.language`` too: Zensical's German demo carries the German strings and none of kbgen's English."""
    pytest.importorskip("zensical")
    from kbgen.engines import build_zensical

    site = build_zensical(demo_config(tmp_path / "project", "de"), site_dir=tmp_path / "site")
    written = content_text()
    phrases = sorted(phrase for phrase in english_phrases() if phrase not in written)
    left = {url: [phrase for phrase in phrases if phrase in kbgen_text(page(site, url))] for url in EXPECTED["de"]}
    assert {url: found for url, found in left.items() if found} == {}
    for url, expected in EXPECTED["de"].items():
        text = kbgen_text(page(site, url))
        assert [phrase for phrase in expected if phrase not in text] == [], url
