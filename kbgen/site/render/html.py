"""Small HTML helpers shared by the renderers: escaping, dates, plurals, links between pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from html import escape

from kbgen.site.i18n import default_translations

Href = Callable[[str], str]
"""Relative URL, from the page being rendered, of the page built from a source path (e.g. "faq/billing/index.md")."""


def text(value: object) -> str:
    """Escape any text for HTML content and attribute values."""
    return escape(str(value), quote=True)


@lru_cache(maxsize=4096)  # listings print the same few hundred dates thousands of times
def human_date(value: str) -> str:
    """"2026-10-02" (or an ISO date-time) as "2 Oct 2026"; text that is no date comes back as written (English: see kbgen.site.i18n)."""
    return default_translations().date(value)


def time_element(value: str) -> str:
    return f'<time datetime="{text(value[:10])}">{text(human_date(value))}</time>'


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def link(href: str, label: object, css_class: str = "", **attributes: str) -> str:
    """An <a>; ``label`` is escaped unless it is markup (``__html__``), attribute names use ``_`` for ``-`` (aria_current="page")."""
    extra = "".join(f' {name.replace("_", "-")}="{text(value)}"' for name, value in attributes.items() if value)
    class_attribute = f' class="{css_class}"' if css_class else ""
    shown = label.__html__() if hasattr(label, "__html__") else text(label)
    return f'<a href="{text(href)}"{class_attribute}{extra}>{shown}</a>'
