"""Plain text and sentences out of thread Markdown: what the summary and promotion stages quote from."""

from __future__ import annotations

import re

_FENCED_BLOCK = re.compile(r"^\s{0,3}(```|~~~).*?^\s{0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
_INDENTED_CODE = re.compile(r"(?:^(?: {4}|\t).*\n?)+", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.MULTILINE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LINE_MARKERS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|!!!\s+\w+.*$)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"\s+")
# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by space and a capital, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(“‘])")
_ABBREVIATION_END = re.compile(r"\b(?:e\.g|i\.e|etc|vs|mr|mrs|dr|cf|approx|no)\.$", re.IGNORECASE)


def plain_text(markdown: str) -> str:
    """Markdown reduced to its prose: code blocks, headings, images, link targets, HTML tags and markup removed."""
    text = _FENCED_BLOCK.sub("\n", markdown)
    text = _INDENTED_CODE.sub("\n", text)
    text = _REFERENCE_DEFINITION.sub("", text)
    text = _HEADING.sub("", text)  # headings label sections; they are not sentences of the text
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _LINE_MARKERS.sub("", text)
    for _ in range(2):  # nested emphasis such as ***word***
        text = _EMPHASIS.sub(r"\2", text)
    paragraphs = [_SPACES.sub(" ", paragraph).strip() for paragraph in re.split(r"\n\s*\n", text)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown text, in order; a paragraph break always ends a sentence."""
    found: list[str] = []
    for paragraph in plain_text(markdown).split("\n\n"):
        pieces = _SENTENCE_END.split(paragraph)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION_END.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        found.extend(piece.strip() for piece in merged if piece.strip())
    return found


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return f"{cut}…"
