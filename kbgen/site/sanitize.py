"""Sanitize HTML with Ammonia (nh3): no script, event handler, ``javascript:`` URL, style or frame survives.

Two policies. ``sanitize_community_html`` is for text people outside the team wrote (thread
questions, answers, comments): formatting and links only, no ``id``, no theme class names, so
a post can neither run code nor restyle the page nor pass for an accepted answer.
``sanitize_html`` is the last pass over a whole thread page, kbgen's own markup included: it
keeps the structure kbgen renders and still drops anything executable.
"""

from __future__ import annotations

import html
import re

import nh3

_FORMATTING_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}
_PAGE_TAGS = _FORMATTING_TAGS | {"section", "article", "header", "footer", "time", "aside", "nav", "small", "mark"}
_URL_SCHEMES = {"http", "https", "mailto"}
_CELL_ATTRIBUTES = {"colspan", "rowspan", "align"}
_COMMUNITY_ATTRIBUTES = {
    "*": {"class", "title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": _CELL_ATTRIBUTES,
    "th": _CELL_ATTRIBUTES | {"scope"},
    "ol": {"start"},
}
_PAGE_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "data-search-exclude"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "referrerpolicy"},
    "td": _CELL_ATTRIBUTES,
    "th": _CELL_ATTRIBUTES | {"scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
# Class names the theme styles (Material's md-*, kbgen's kb-*) are kbgen's to set, never a post's.
_RESERVED_CLASS = re.compile(r"^(?:md|kb)-|^_")
_CLASS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,40}$")


def _community_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [name for name in value.split() if _CLASS_NAME.match(name) and not _RESERVED_CLASS.match(name)]
    return " ".join(kept) or None


def _community_cleaner(attributes: dict[str, set[str]], image_attribute: tuple[str, str]) -> nh3.Cleaner:
    name, value = image_attribute
    return nh3.Cleaner(
        tags=_FORMATTING_TAGS,
        attributes=attributes,
        attribute_filter=_community_attribute,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        set_tag_attribute_values={"img": {name: value}},
        strip_comments=True,
    )


# Every image of a post loads lazily and sends no referrer. nh3 adds several set attributes in
# the order of a hash map seeded per process, which made builds differ from run to run; one
# attribute per pass has a single order. A post's own values never survive: the first pass
# does not allow either attribute, and each pass replaces the one it sets.
_COMMUNITY = _community_cleaner(_COMMUNITY_ATTRIBUTES, ("loading", "lazy"))
_COMMUNITY_IMAGES = _community_cleaner({**_COMMUNITY_ATTRIBUTES, "img": _COMMUNITY_ATTRIBUTES["img"] | {"loading"}}, ("referrerpolicy", "no-referrer"))
_PAGE = nh3.Cleaner(
    tags=_PAGE_TAGS,
    attributes=_PAGE_ATTRIBUTES,
    generic_attribute_prefixes={"aria-"},
    url_schemes=_URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)
# The HTML subset search engines read in an FAQ answer (Google's FAQPage "Answer.text").
_RICH_RESULT = nh3.Cleaner(
    tags={"h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "div", "b", "strong", "i", "em"},
    attributes={"*": set(), "a": {"href"}},
    url_schemes=_URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)
_HEADER_LINK = re.compile(r'<a [^>]*class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|h[1-6]|br|tr|td|th|pre|blockquote|section|ul|ol|dd|dt|table)\b", re.IGNORECASE)
_TEXT = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)


def sanitize_community_html(fragment: str) -> str:
    """Untrusted post HTML: keep formatting, images and links (marked nofollow), nothing else.

    The output is the same in every process (images end ``loading="lazy" referrerpolicy="no-referrer"``).
    """
    cleaned = _COMMUNITY.clean(fragment)
    return _COMMUNITY_IMAGES.clean(cleaned) if "<img" in cleaned else cleaned


def sanitize_html(fragment: str) -> str:
    """A whole thread page: kbgen's structure (ids, classes, ARIA, dates) kept, anything executable dropped."""
    return _PAGE.clean(fragment)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, whitespace collapsed (script and style contents dropped)."""
    spaced = _BLOCK_TAG.sub(r" \g<0>", fragment)  # so that </p><p> still separates words
    return " ".join(html.unescape(_TEXT.clean(spaced)).split())


def rich_result_html(fragment: str) -> str:
    """An answer reduced to the tags search engines accept in structured data (permalink anchors dropped)."""
    return _RICH_RESULT.clean(_HEADER_LINK.sub("", fragment)).strip()
