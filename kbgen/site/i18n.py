"""Every string kbgen adds to a site, in the site's language (``theme.language``), and dates written for it.

The tables are data files, ``kbgen/site/locales/<language>.yml``: English is the reference, and
every other table has each of its keys (a unit test checks). A language kbgen has no table for
falls back to English with a warning; its dates are still written the way Babel (a dependency of
Material) knows for that language. Plural forms follow the language's CLDR rules through Babel
("0 réponse" in French, "0 answers" in English).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from markupsafe import Markup

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
SCRIPT_SECTION = "script"  # strings the browser scripts show: passed to the page as JSON (``theme_strings``)
SCRIPT_GROUPS = ("page", "contact", "search")  # which pages carry them: every page, the contact page, the search page
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def available_languages() -> tuple[str, ...]:
    """The languages kbgen has a table for, e.g. ("de", "en", "fr")."""
    return tuple(sorted(path.stem for path in LOCALES_DIR.glob("*.yml")))


@cache
def read_table(language: str) -> dict[str, Any]:
    """One language's table as flat keys ("home.title"); a plural is a mapping of CLDR forms ("one", "other")."""
    with (LOCALES_DIR / f"{language}.yml").open(encoding="utf-8") as stream:
        return dict(_flatten(yaml.safe_load(stream) or {}))


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not set(value) <= set(PLURAL_FORMS):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def table_language(requested: str) -> str | None:
    """The table for a ``theme.language`` such as "de", "fr-CA" or "pt_BR" (the language without its region), else None."""
    known = available_languages()
    name = requested.strip().replace("_", "-").lower()
    for candidate in (name, name.split("-", 1)[0]):
        if candidate in known:
            return candidate
    return None


def _babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Translations:
    """kbgen's strings in one language. ``text`` and ``plural`` give escaped Markup: values are escaped, Markup kept."""

    requested: str = DEFAULT_LANGUAGE  # theme.language as written
    language: str = field(init=False)  # the table used
    _table: dict[str, Any] = field(init=False, repr=False, compare=False)
    _locale: str = field(init=False, repr=False, compare=False)  # Babel's name of the locale dates and plurals follow
    _date_format: str = field(init=False, repr=False, compare=False)
    _escaped: dict[str, Markup] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        language = table_language(self.requested or DEFAULT_LANGUAGE)
        if language is None:
            log.warning(
                f"kbgen: no translation for theme.language '{self.requested}' (kbgen has {', '.join(available_languages())}); "
                "its pages use English"
            )
            language = DEFAULT_LANGUAGE
        table = {**read_table(DEFAULT_LANGUAGE), **read_table(language)}
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_locale", str(_babel_locale(self.requested if language == DEFAULT_LANGUAGE else language)))
        object.__setattr__(self, "_date_format", table["date_format"])

    def raw(self, key: str) -> Any:
        try:
            return self._table[key]
        except KeyError:
            raise KeyError(f"kbgen has no string '{key}' (kbgen/site/locales/{DEFAULT_LANGUAGE}.yml)") from None

    def text(self, key: str, **values: Any) -> Markup:
        """The string ``key`` with its ``{name}`` placeholders filled; plain values are escaped, Markup is kept."""
        template = self._escaped.get(key)
        if template is None:
            template = self._escaped[key] = escape_string(self.raw(key))
        if not values:
            return template
        # str.format on the escaped string with escaped values: Markup's own format escapes through a slow Formatter.
        return Markup(str.format_map(template, {name: escape_value(value) for name, value in values.items()}))

    def plain(self, key: str, **values: Any) -> str:
        """The string ``key`` as plain text (for attributes built outside templates and for front matter)."""
        template = self.raw(key)
        return template.format(**values) if values else template

    def plural(self, key: str, count: int, **values: Any) -> Markup:
        """"{count} answer(s)" in the language's plural form for ``count``."""
        forms = self.raw(key)
        template = forms.get(_plural_form(self._locale, abs(count))) or forms["other"]
        return Markup(str.format_map(_escaped_string(template), {"count": count, **{name: escape_value(value) for name, value in values.items()}}))

    def date(self, value: str) -> str:
        """An ISO date (or date-time) written for the language, e.g. "2 Oct 2026", "2. Okt. 2026"; other text as written."""
        return _format_day(value, self._date_format, self._locale)

    def section(self, name: str) -> dict[str, Any]:
        """The strings of one section ("script", "ending"), by their key without the section's name."""
        prefix = f"{name}."
        return {key[len(prefix):]: value for key, value in sorted(self._table.items()) if key.startswith(prefix)}

    def theme_strings(self) -> dict[str, Any]:
        """What the theme's own templates print (``kbgen_strings``, plain data): the page end's strings, and the
        scripts' by page (``script.page`` on every page, ``script.contact`` and ``script.search`` on those pages only)."""
        scripts = {group: self.section(f"{SCRIPT_SECTION}.{group}") for group in SCRIPT_GROUPS}
        return {"language": self.language, "ending": self.section("ending"), SCRIPT_SECTION: scripts}


@cache
def default_translations() -> Translations:
    """English, the reference table."""
    return Translations(DEFAULT_LANGUAGE)


def escape_string(template: str) -> Markup:
    """One of kbgen's own strings as HTML: <, > and & escaped, and " for attributes; apostrophes stay as written."""
    return Markup(html.escape(template, quote=False).replace('"', "&quot;"))


def escape_value(value: Any) -> Markup:
    """A value for a placeholder: Markup as it is, anything else escaped (quotes too) as kbgen always escaped text."""
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(str(value), quote=True))


_escaped_string = lru_cache(maxsize=1024)(escape_string)


@lru_cache(maxsize=4096)
def _plural_form(locale: str, count: int) -> str:
    return Locale.parse(locale).plural_form(count)


@lru_cache(maxsize=8192)  # listings print the same few hundred dates thousands of times
def _format_day(value: str, pattern: str, locale: str) -> str:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return format_date(day, pattern, locale=locale)
