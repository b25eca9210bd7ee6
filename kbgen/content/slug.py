"""The one slugify: file names of articles, threads and drafts, category folders and tag pages."""

from __future__ import annotations

import re
import unicodedata

_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"\w+")


def slugify(text: str, *, max_words: int | None = 8, max_length: int | None = None, keep_unicode: bool = False, fallback: str = "untitled") -> str:
    """Lower-case words of ``text`` joined by hyphens; ``fallback`` when it has none.

    Words are ASCII letters and digits (accents dropped: ``Zürich`` → ``zurich``) unless
    ``keep_unicode``, where they are any word characters (``ünïcode``, which URLs carry). At most
    ``max_words`` words, and at most ``max_length`` characters, cut at a word.
    """
    if keep_unicode:
        words = _WORD.findall(text.lower())
    else:
        words = _ASCII_WORD.findall(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower())
    if max_words is not None:
        words = words[:max_words]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if max_length is not None and len(candidate) > max_length:
            break
        slug = candidate
    return slug.strip("-_") or fallback
