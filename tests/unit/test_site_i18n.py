"""kbgen's translation tables: complete in every language, plural forms and dates by the language's rules."""

from __future__ import annotations

import logging
import re
import string
from dataclasses import fields

import pytest

from kbgen.site.i18n import DEFAULT_LANGUAGE, PLURAL_FORMS, Translations, available_languages, read_table, table_language
from kbgen.site.structure.help_center import SiteTitles

ENGLISH = read_table(DEFAULT_LANGUAGE)
OTHERS = [language for language in available_languages() if language != DEFAULT_LANGUAGE]


def placeholders(value: object) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text)) if name}


def test_kbgen_ships_english_german_and_french():
    assert {"en", "de", "fr"} <= set(available_languages())


@pytest.mark.parametrize("language", OTHERS)
def test_every_language_has_every_english_key_with_its_placeholders(language):
    table = read_table(language)
    assert sorted(set(ENGLISH) - set(table)) == [] and sorted(set(table) - set(ENGLISH)) == []
    for key, english in ENGLISH.items():
        translated = table[key]
        assert isinstance(translated, dict) == isinstance(english, dict), key
        if isinstance(english, dict):
            assert "other" in translated and set(translated) <= set(PLURAL_FORMS), key
        # A translation may drop {field_lower} for {field} (languages that keep a label's capital), nothing else.
        assert placeholders(translated) - {"field"} <= placeholders(english) - {"field_lower"} | {"field"}, key
        assert placeholders(english) - {"field_lower"} <= placeholders(translated) | {"field"}, key


@pytest.mark.parametrize("language", OTHERS)
def test_translations_are_not_left_in_english(language):
    table = read_table(language)
    # Only single words may read the same in both ("Community", "Problem", "Article", "(page {number})").
    same = [
        key for key, english in ENGLISH.items()
        if isinstance(english, str) and table[key] == english and key != "language_name" and len(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", str(english)))) > 1
    ]
    assert same == []


def test_plurals_follow_the_language_rules():
    assert Translations("en").plural("count.answer", 0) == "0 answers"
    assert Translations("en").plural("count.answer", 1) == "1 answer"
    assert Translations("fr").plural("count.answer", 0) == "0 réponse"  # French: 0 is singular
    assert Translations("fr").plural("count.answer", 2) == "2 réponses"
    assert Translations("de").plural("count.vote", 1) == "1 Stimme" and Translations("de").plural("count.vote", -3) == "-3 Stimmen"


def test_dates_are_written_for_the_language():
    assert Translations("en").date("2026-10-02") == "2 Oct 2026"
    assert Translations("de").date("2026-10-02T09:30:00+02:00") == "2. Okt. 2026"
    assert Translations("fr").date("2026-05-02") == "2 mai 2026"
    assert Translations("de").date("someday") == "someday"


def test_unknown_language_falls_back_to_english_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        translations = Translations("xx")
    assert translations.language == "en" and translations.text("home.title") == "How can we help?"
    assert "theme.language 'xx'" in caplog.text


def test_a_region_uses_its_language_table_and_dates_follow_the_region_babel_knows():
    assert table_language("fr-CA") == "fr" and table_language("de_AT") == "de" and table_language("pt-BR") is None
    assert Translations("de-AT").text("home.title") == "Wie können wir helfen?"
    assert Translations("pt-BR").date("2026-10-02") == "2 out. 2026"  # no kbgen table, but Babel writes its dates


def test_text_escapes_values_but_keeps_markup_and_apostrophes():
    translations = Translations("en")
    assert translations.text("home.search_site", site="A & <B>") == "Search A &amp; &lt;B&gt;"
    assert translations.text("ending.reason_incomplete") == "It didn't answer my question"
    assert translations.text("thread.asked_by", author="O'Brien", date="x") == "Asked by O&#x27;Brien on x"


def test_page_titles_default_to_the_english_table():
    english = SiteTitles.of(Translations("en").plain)
    assert english == SiteTitles()
    german = SiteTitles.of(Translations("de").plain)
    assert german.home == "Startseite" and {field.name for field in fields(german)} == {field.name for field in fields(SiteTitles)}


def test_scripts_get_their_strings_as_plain_data():
    strings = Translations("de").theme_strings()
    assert strings["language"] == "de"
    assert strings["script"]["contact"]["sending"] == "Wird gesendet…"
    assert strings["script"]["search"]["results"]["other"] == "{count} Ergebnisse für „{query}“."
    assert strings["script"]["page"]["vote_thanks_yes"] == "Vielen Dank! Schön, dass es geholfen hat."
    assert strings["ending"]["vote_yes"] == "Ja"


def test_generated_pages_are_titled_in_the_site_language_with_their_page_number():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_site_render import CORPUS

    from kbgen.site.pages import numbered_title
    from kbgen.site.structure.help_center import build_help_center

    center = build_help_center(CORPUS, per_page=1, titles=SiteTitles.of(Translations("de").plain))
    assert center.pages["index.md"].title == "Startseite" and center.trail(CORPUS.threads[0])[1].title == "Community"
    assert numbered_title(center.pages["tags/page/2/index.md"]) == "Schlagwörter (Seite 2)"
    assert numbered_title(center.pages["tags/index.md"]) == "Schlagwörter"
    assert center.pages["community/unanswered/index.md"].title == "Unbeantwortete Fragen"
    assert build_help_center(CORPUS, per_page=1).pages["tags/page/2/index.md"].page_title == "Tags (page 2)"
