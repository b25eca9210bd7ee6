"""Untrusted forum text → clean, inert Markdown.

Forum HTML is first sanitized with Ammonia (nh3: no script, style, frame, event handler or
``javascript:`` URL survives; relative links are resolved against the forum's address), then
converted by ``markdown_writer``. Text that only looked like markup in the forum (``&lt;script&gt;``,
``[x](javascript:…)``, ``{: onclick=…}``) is escaped so that Markdown shows it as text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from html import escape
from urllib.parse import quote, urljoin

import markdown
import nh3

from kbgen.community.markdown_writer import MarkdownWriter

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strike", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "aside", "section", "details", "summary",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"class"}}
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "textarea", "select", "button"}
_URL_SCHEMES = {"http", "https", "mailto"}

# Characters that YAML and terminals should never see: C0/C1 controls except tab and newline, odd line
# separators, and lone surrogates (a JSON "\\ud800" decodes to one; no file can be written with it).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
# Elements nested deeper than this are flattened (their tags dropped, their text kept): real posts stay
# under 20 levels, and the Markdown writer recurses a few frames per level (Python stops near 1,000).
MAX_HTML_DEPTH = 100
# The sanitizer's time grows with the square of the nesting (20,000 levels take a second, 200,000 three
# minutes), so raw HTML is cut down to this before it; real posts are far below either limit.
RAW_HTML_DEPTH = 1_000
# No "<" inside a tag: an unclosed one then costs a scan to the next "<", not to the end of the text.
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*>")
_CLOSED_BY_SIBLING = frozenset({"dd", "dt", "li", "option", "p", "td", "th", "tr"})
_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_TEXT_TO_ESCAPE = re.compile(r"[\\`*_\[\]{}<]|&(?=#?\w+;)")
_URL_UNSAFE = re.compile(r"[\s()<>]")


_WRITER = MarkdownWriter(escape_text=lambda text: escape_markdown(text), safe_url=lambda url: _safe_url(url))


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Forum HTML as clean Markdown: formatting, code blocks, lists and links kept, anything active dropped."""
    cleaned = _cleaner(base_url).clean(limit_nesting(clean_text(html, keep_newlines=True), RAW_HTML_DEPTH))
    return tidy_markdown(_WRITER.convert(limit_nesting(cleaned, MAX_HTML_DEPTH)))


@functools.lru_cache(maxsize=16)  # one per forum: building a cleaner costs more than cleaning a post
def _cleaner(base_url: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url) if base_url else "deny",
        link_rel=None,
        strip_comments=True,
    )


def limit_nesting(html: str, limit: int) -> str:
    """``html`` with the tags of elements nested deeper than ``limit`` removed; their text stays.

    A tokenizer, not a parser: it follows the names of open elements as the HTML parser would for
    the well-formed markup forums produce (exact on the sanitizer's output). Whatever it keeps is
    sanitized or was sanitized already, so a misread tag can cost formatting, never safety.
    """
    if html.count("<") <= limit:  # too few tags to nest that deep: the common case costs one count
        return html
    open_names: list[str] = []
    dropped: Counter[str] = Counter()  # open tags removed, by name, whose end tags go too
    flattening = 0  # how many removed elements are open: inside them, every tag goes
    pieces: list[str] = []
    position = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_ELEMENTS:
            continue
        if not closing:
            if not flattening and open_names and open_names[-1] == name and name in _CLOSED_BY_SIBLING:
                open_names.pop()  # <p>one<p>two: the second paragraph ends the first
            if not flattening and len(open_names) < limit:
                open_names.append(name)
                continue
            dropped[name] += 1
            flattening += 1
        elif dropped[name]:
            dropped[name] -= 1
            flattening -= 1
        else:
            if name in open_names:  # an end tag closes its element and any left open inside it
                del open_names[len(open_names) - 1 - open_names[::-1].index(name) :]
                dropped.clear()  # every removed element lay inside the deepest kept one, now closed
                flattening = 0
            continue
        pieces.append(html[position : match.start()])
        position = match.end()
    if not pieces:
        return html
    pieces.append(html[position:])
    return "".join(pieces)


def markdown_to_markdown(text: str, base_url: str = "") -> str:
    """Forum Markdown (which may hide raw HTML) made safe: rendered, sanitized, converted back."""
    source = clean_text(text, keep_newlines=True)
    try:
        rendered = markdown.markdown(source, extensions=["fenced_code", "tables"])
    except RecursionError:  # lists nested hundreds deep: keep the words, as flat escaped lines
        return tidy_markdown("\n".join(escape_markdown(line.strip()) for line in source.split("\n")))
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


def _safe_url(url: str) -> str:
    """A URL that cannot break out of Markdown's ``(…)``; the sanitizer already vetted its scheme."""
    return _URL_UNSAFE.sub(lambda match: quote(match.group(0)), url.strip())


def absolute_url(base_url: str, path: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", path.lstrip("/"))
