"""Untrusted forum text → clean, inert Markdown.

Forum HTML is first sanitized with Ammonia (nh3: no script, style, frame, event handler or
``javascript:`` URL survives; relative links are resolved against the forum's address), then
converted with markdownify. Text that only looked like markup in the forum (``&lt;script&gt;``,
``[x](javascript:…)``, ``{: onclick=…}``) is escaped so that Markdown shows it as text.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape
from urllib.parse import quote, urljoin

import markdown
import nh3
from bs4 import Tag
from markdownify import BACKSLASH, MarkdownConverter

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strike", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "aside", "section", "details", "summary",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"class"}}
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "textarea", "select", "button"}
_URL_SCHEMES = {"http", "https", "mailto"}

# Characters that YAML and terminals should never see: C0/C1 controls except tab and newline, and odd line separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_TEXT_TO_ESCAPE = re.compile(r"[\\`*_\[\]{}<]|&(?=#?\w+;)")
_LANGUAGE_CLASS = re.compile(r"^(?:lang|language|highlight-source)-([\w+#.-]+)$")  # the last is GitHub's
_URL_UNSAFE = re.compile(r"[\s()<>]")


class _Converter(MarkdownConverter):
    """markdownify with fences that cannot be closed from inside, safe URLs and escaped text."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_markdown(text) if text else ""

    def convert_pre(self, element: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        code = text.strip("\n")
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{_code_language(element)}\n{code}\n{fence}\n\n"

    def convert_a(self, element: Tag, text: str, parent_tags: set[str]) -> str:
        href = element.get("href")
        if href:
            element["href"] = _safe_url(str(href))
        return super().convert_a(element, text, parent_tags)

    def convert_img(self, element: Tag, text: str, parent_tags: set[str]) -> str:
        classes = element.get("class") or []
        if "emoji" in classes:  # Discourse renders :smile: as an image; keep the text
            return str(element.get("alt") or element.get("title") or "")
        if "avatar" in classes:  # the quoted author's picture in Discourse quotes
            return ""
        if not element.get("src"):
            return str(element.get("alt") or "")
        element["src"] = _safe_url(str(element["src"]))
        element["alt"] = escape_markdown(str(element.get("alt") or ""))
        return super().convert_img(element, text, parent_tags)

    def convert_div(self, element: Tag, text: str, parent_tags: set[str]) -> str:
        classes = element.get("class") or []
        if "meta" in classes or "quote-controls" in classes:  # Discourse image captions and buttons
            return ""
        return super().convert_div(element, text, parent_tags)

    def convert_aside(self, element: Tag, text: str, parent_tags: set[str]) -> str:
        return self.convert_div(element, text, parent_tags)


_CONVERTER = _Converter(
    heading_style="atx",
    bullets="-",
    newline_style=BACKSLASH,
    strong_em_symbol="*",
    escape_asterisks=False,  # our escape() does it, together with the rest
    escape_underscores=False,
)


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Forum HTML as clean Markdown: formatting, code blocks, lists and links kept, anything active dropped."""
    cleaned = nh3.clean(
        clean_text(html, keep_newlines=True),
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url) if base_url else "deny",
        link_rel=None,
        strip_comments=True,
    )
    return tidy_markdown(_CONVERTER.convert(cleaned))


def markdown_to_markdown(text: str, base_url: str = "") -> str:
    """Forum Markdown (which may hide raw HTML) made safe: rendered, sanitized, converted back."""
    rendered = markdown.markdown(clean_text(text, keep_newlines=True), extensions=["fenced_code", "tables"])
    return html_to_markdown(rendered, base_url)


def plain_to_markdown(text: str, base_url: str = "") -> str:
    """A comment in Stack Exchange's mini-Markdown: links, code and emphasis kept, HTML shown as text."""
    pieces = _CODE_SPAN.split(text)  # odd pieces are code spans, which Markdown already shows verbatim
    escaped = "".join(piece if index % 2 else escape(piece, quote=False) for index, piece in enumerate(pieces))
    return markdown_to_markdown(escaped, base_url)


def escape_markdown(text: str) -> str:
    """Text that Markdown (with attr_list and md_in_html) shows as typed: no tag, entity, link or attribute list."""
    return _TEXT_TO_ESCAPE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    character = match.group(0)
    return "&amp;" if character == "&" else "&lt;" if character == "<" else "\\" + character


def clean_text(text: str, keep_newlines: bool = False) -> str:
    """Text with control characters removed and line ends normalized; one line unless ``keep_newlines``."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return text if keep_newlines else " ".join(text.split())


def tidy_markdown(text: str) -> str:
    """No trailing spaces, at most one blank line in a row outside code, one final newline."""
    lines: list[str] = []
    fence = ""
    for line in text.split("\n"):
        line = line.rstrip()
        opening = _FENCE.match(line)
        if fence:
            fence = "" if line == fence else fence
        elif opening:
            fence = opening.group(1)
        elif not line and lines and not lines[-1]:
            continue  # one blank line separates blocks; more add nothing
        lines.append(line)
    tidy = "\n".join(lines).strip("\n")
    return f"{tidy}\n" if tidy else ""


def _code_language(element: Tag) -> str:
    for node in (element, element.find("code"), element.parent):
        if isinstance(node, Tag):
            for name in node.get("class") or []:
                match = _LANGUAGE_CLASS.match(name)
                if match and match.group(1) not in ("none", "auto", "plaintext"):
                    return match.group(1)
    return ""


def _safe_url(url: str) -> str:
    """A URL that cannot break out of Markdown's ``(…)``; the sanitizer already vetted its scheme."""
    return _URL_UNSAFE.sub(lambda match: quote(match.group(0)), url.strip())


def absolute_url(base_url: str, path: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", path.lstrip("/"))
