"""Sanitized forum HTML → Markdown that Python-Markdown renders as the original.

The input is nh3's output (well-formed, a few dozen formatting tags), so a small tree read with
two regular expressions is enough; markdownify on BeautifulSoup cost 0.7 ms a post,
five times the import's whole budget. What the converter writes is chosen for Python-Markdown with
kbgen's community extensions (tables, fenced_code, sane_lists) and for a writer reading the file:

- a line break is ``<br>`` (a backslash is no break in Python-Markdown, two trailing spaces do
  not survive an editor or a YAML ``|`` block);
- headings are demoted so that a post's highest one sits below the page's ``h1`` and ``h2``;
- code is fenced at the top level and indented inside lists and quotes, where fences do not work;
- text that would read as Markdown (``# ``, ``- ``, ``1. `` at a line's start, ``*``, ``[``…)
  is escaped, and elements Markdown has no syntax for (``del``, ``sup``, ``kbd``…) stay HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

# The page shows its title as h1 and "In short" / "N answers" as h2: a post's headings start at h3.
TOP_HEADING_LEVEL = 3
LIST_INDENT = "    "  # Python-Markdown nests blocks in a list item by four spaces

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset({"p", "div", "section", "aside", "details", "summary", "blockquote", "pre", "ul", "ol", "li", "hr", "table", "dl", "dt", "dd", *_HEADINGS})
_VOID = frozenset({"br", "hr", "img"})
_RAW_INLINE = frozenset({"del", "s", "strike", "ins", "sub", "sup", "kbd", "abbr"})
_SPACES = re.compile(r"[ \t\n\r\f]+")
# Where a <br> was, while a paragraph is put together (the input has no control characters left).
_BREAK = "\x00"
_LIST_MARKER = re.compile(r"^(?:- |\d+\. )")
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>|([^<]+)|<")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')
_LANGUAGE_CLASS = re.compile(r"^(?:lang|language|highlight-source)-([\w+#.-]+)$")  # the last is GitHub's
# A line that Python-Markdown would read as a heading, quote, list item, rule, setext underline,
# table separator, fence or admonition if it started a line of text.
_LINE_START = re.compile(r"^(?:#|>|[-+*](?= |$)|\d+\.(?= |$)|[-=_*:| ]+$|~~~|!!!|\?\?\?)")


class Element:
    """One element of the sanitized post: its tag, attributes and children (elements and text)."""

    __slots__ = ("tag", "attributes", "children")

    def __init__(self, tag: str, attributes: dict[str, str]) -> None:
        self.tag, self.attributes = tag, attributes
        self.children: list[Element | str] = []

    def classes(self) -> list[str]:
        return self.attributes.get("class", "").split()


def parse(html: str) -> Element:
    """The tree of sanitized HTML, read with two regular expressions.

    nh3 serializes like a browser: every attribute as ``name="value"`` with ``&quot;`` inside,
    ``<`` in text as ``&lt;``, no comments. That regular shape is all this reads (the standard
    library's tokenizer, made for any HTML, cost more than the rest of the conversion); anything
    else is kept as text, which is escaped on the way out, so a misread tag costs formatting only.
    """
    root = Element("", {})
    open_elements = [root]
    for match in _TOKEN.finditer(html):
        closing, tag, attributes, text = match.groups()
        if text is not None or tag is None:
            value = text if text is not None else match.group(0)
            open_elements[-1].children.append(unescape(value) if "&" in value else value)
            continue
        tag = tag.lower()
        if closing:
            for depth in range(len(open_elements) - 1, 0, -1):  # the innermost open one of that name
                if open_elements[depth].tag == tag:
                    del open_elements[depth:]
                    break
            continue
        element = Element(tag, {name.lower(): unescape(value) for name, value in _ATTRIBUTE.findall(attributes)} if attributes else {})
        open_elements[-1].children.append(element)
        if tag not in _VOID and not attributes.endswith("/"):
            open_elements.append(element)
    return root


class MarkdownWriter:
    """Turns a parsed post into Markdown; ``escape_text`` escapes what text must not mean, ``safe_url`` vets URLs."""

    def __init__(self, escape_text: Callable[[str], str], safe_url: Callable[[str], str]) -> None:
        self.escape_text, self.safe_url = escape_text, safe_url

    def convert(self, html: str) -> str:
        root = parse(html)
        levels = [_HEADINGS[tag] for tag in _HEADINGS if f"<{tag}" in html]
        shift = TOP_HEADING_LEVEL - min(levels, default=TOP_HEADING_LEVEL)
        return "\n\n".join(_Conversion(self, shift).blocks(root.children, nested=False))


class _Conversion:
    """The state of one post's conversion: how far its headings move."""

    def __init__(self, writer: MarkdownWriter, heading_shift: int) -> None:
        self.writer, self.heading_shift = writer, heading_shift

    # Blocks

    def blocks(self, children: list[Element | str], nested: bool, parent: Element | None = None) -> list[str]:
        """Markdown blocks (no blank lines around them) for a run of children; inline runs become paragraphs."""
        found: list[str] = []
        inline: list[Element | str] = []
        for child in children:
            if isinstance(child, str):
                if inline or not child.isspace():  # the space between two blocks is no paragraph
                    inline.append(child)
            elif child.tag in _BLOCKS:
                if inline:
                    self._paragraph(inline, found)
                    inline = []
                found.extend(self.block(child, nested, parent))
            else:
                inline.append(child)
        if inline:
            self._paragraph(inline, found)
        return found

    def _paragraph(self, inline: list[Element | str], found: list[str]) -> None:
        text = self.inline_run(inline)
        if text:
            found.append(_escape_line_starts(text))

    def block(self, element: Element, nested: bool, parent: Element | None = None) -> list[str]:
        tag = element.tag
        if tag in _HEADINGS:
            text = self.inline_run(element.children, breaks=False)
            level = min(6, _HEADINGS[tag] + self.heading_shift)
            return [f"{'#' * level} {_escape_trailing_hashes(text)}"] if text else []
        if tag == "pre":
            return self.code_block(element, nested, parent)
        if tag in ("ul", "ol"):
            return self.list_block(element)
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(element.children, nested=True))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))] if inner else []
        if tag == "hr":
            return ["* * *"]
        if tag == "table":
            return self.table(element)
        if tag in ("dt", "summary"):
            text = self.inline_run(element.children)
            return [_escape_line_starts(f"**{text}**")] if text else []
        if _hidden(element):
            return []
        return self.blocks(element.children, nested, element)  # p, div, section, aside, details, dl, dd, li out of a list

    def code_block(self, element: Element, nested: bool, parent: Element | None) -> list[str]:
        code = _text_of(element)
        code = code[1:] if code.startswith("\n") else code  # HTML drops the newline after <pre>
        code = code.rstrip("\n ")
        if not code.strip():
            return []
        if nested:  # fences only work at the top level in Python-Markdown
            return ["\n".join(f"{LIST_INDENT}{line}" if line.strip() else "" for line in code.split("\n"))]
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return [f"{fence}{_code_language(element, parent)}\n{code}\n{fence}"]

    def list_block(self, element: Element) -> list[str]:
        ordered = element.tag == "ol"
        start = int(element.attributes["start"]) if ordered and element.attributes.get("start", "").isdigit() else 1
        items: list[list[str]] = []
        for child in element.children:
            if isinstance(child, Element) and child.tag == "li":
                items.append(self.blocks(child.children, nested=True))
            elif items:  # a list or text put straight in a list: browsers show it with the item before
                items[-1].extend(self.blocks([child], nested=True))
        items = [blocks for blocks in items if blocks]
        if not items:
            return []
        # A paragraph followed by a tight nested list stays tight; any other second block makes the list
        # loose, and so must it be then: an item after a blank line would be read as its lazy continuation.
        loose = any(len(blocks) > 2 or (len(blocks) == 2 and not (_LIST_MARKER.match(blocks[1]) and "\n\n" not in blocks[1])) for blocks in items)
        written = []
        for number, blocks in enumerate(items, start):
            marker = f"{number}. " if ordered else "- "
            body = blocks[0] + "".join(("\n" if _LIST_MARKER.match(block) and not loose else "\n\n") + block for block in blocks[1:])
            lines = body.split("\n")
            written.append("\n".join([marker + lines[0], *(f"{LIST_INDENT}{line}" if line else "" for line in lines[1:])]))
        return ["\n\n".join(written) if loose else "\n".join(written)]

    def table(self, element: Element) -> list[str]:
        rows = [
            [self.inline_run(cell.children, breaks=False).replace("|", "\\|") for cell in row.children if isinstance(cell, Element) and cell.tag in ("td", "th")]
            for row in _table_rows(element)
        ]
        rows = [row for row in rows if row]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = [_table_line(rows[0]), _table_line(["---"] * width), *(_table_line(row) for row in rows[1:])]
        return ["\n".join(lines)]

    # Inline

    def inline_run(self, children: list[Element | str], breaks: bool = True) -> str:
        """One paragraph's text: whitespace collapsed as HTML does, ``<br>`` lines when ``breaks``."""
        text = _SPACES.sub(" ", "".join(self.inline(child, frozenset()) for child in children))
        lines = [line.strip() for line in text.split(_BREAK)]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if not breaks:
            return " ".join(line for line in lines if line)
        return "<br>\n".join(lines)

    def inline(self, node: Element | str, inside: frozenset[str]) -> str:
        if isinstance(node, str):
            return self.writer.escape_text(node) if "code" not in inside else node
        tag = node.tag
        if tag == "br":
            return _BREAK
        if _hidden(node):
            return ""
        if tag == "img":
            return self.image(node)
        if tag == "code" or tag == "pre":  # a <pre> inside a paragraph or cell: shown as a code span
            return _code_span(_SPACES.sub(" ", _text_of(node)))
        content = "".join(self.inline(child, inside | {tag}) for child in node.children)
        if tag in ("em", "i", "strong", "b"):
            marker = "**" if tag in ("strong", "b") else "*"
            kind = "strong" if marker == "**" else "em"
            if kind in inside:
                return content
            return _wrap(content, marker, inside | {kind})
        if tag == "a":
            return self.link(node, content)
        if tag in _RAW_INLINE:
            return _wrap(content, f"<{tag}>", inside, f"</{tag}>")
        return content  # span and block elements met inside a line

    def link(self, element: Element, content: str) -> str:
        href = element.attributes.get("href", "")
        if not href:
            return content
        text = content.strip()
        return f"[{text}]({self.writer.safe_url(href)})" if text else ""  # an empty link shows nothing

    def image(self, element: Element) -> str:
        classes = element.classes()
        alt = element.attributes.get("alt", "")
        if "emoji" in classes:  # Discourse renders :smile: as an image; keep the text
            return self.writer.escape_text(alt or element.attributes.get("title", ""))
        if "avatar" in classes:  # the quoted author's picture in Discourse quotes
            return ""
        src = element.attributes.get("src", "")
        if not src:
            return self.writer.escape_text(alt)
        return f"![{self.writer.escape_text(_SPACES.sub(' ', alt).strip())}]({self.writer.safe_url(src)})"


def _hidden(element: Element) -> bool:
    """Discourse's image captions and quote buttons: page furniture, not what the author wrote."""
    return element.tag == "div" and bool({"meta", "quote-controls"} & set(element.classes()))


def _wrap(content: str, opening: str, inside: frozenset[str], closing: str = "") -> str:
    """``content`` between markers, its outer spaces moved outside them (``* a *`` is no emphasis)."""
    edges = " " + _BREAK
    core = content.strip(edges)
    if not core:
        return content
    lead = content[: len(content) - len(content.lstrip(edges))]
    trail = content[len(content.rstrip(edges)) :]
    return f"{lead}{opening}{core}{closing or opening}{trail}"


def _code_span(code: str) -> str:
    if not code.strip():
        return code
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {code} " if code.startswith("`") or code.endswith("`") else code
    return f"{ticks}{padded}{ticks}"


def _text_of(element: Element) -> str:
    parts: list[str] = []
    pending: list[Element | str] = [element]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            parts.append(node)
        elif node.tag == "br":
            parts.append("\n")
        elif _hidden(node):
            continue
        else:
            pending.extend(reversed(node.children))
    return "".join(parts)


def _code_language(element: Element, parent: Element | None) -> str:
    """From a class on the <pre>, its <code> or (GitHub's ``highlight-source-*``) the element around it."""
    nodes = [element, *(child for child in element.children if isinstance(child, Element) and child.tag == "code"), *([parent] if parent else [])]
    for node in nodes:
        for name in node.classes():
            match = _LANGUAGE_CLASS.match(name)
            if match and match.group(1) not in ("none", "auto", "plaintext"):
                return match.group(1)
    return ""


def _table_rows(table: Element) -> list[Element]:
    rows: list[Element] = []
    for child in table.children:
        if isinstance(child, Element) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, Element) and child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child.children if isinstance(row, Element) and row.tag == "tr")
    return rows


def _table_line(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |"


def _escape_line_starts(text: str) -> str:
    return "\n".join(_escape_line_start(line) for line in text.split("\n"))


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    first = line[0]
    if first.isdigit():
        dot = line.index(".")
        return f"{line[:dot]}\\{line[dot:]}"
    if first in "=:|~? ":  # not characters Markdown lets a backslash escape
        return f"&#{ord(first)};{line[1:]}"
    return f"\\{line}"


def _escape_trailing_hashes(text: str) -> str:
    """A heading's closing ``#`` would be read as the optional closing sequence and dropped."""
    return text[:-1] + "\\#" if text.endswith("#") and not text.endswith("\\#") else text

