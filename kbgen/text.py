"""Text shared by the index and link stages: Markdown reduced to plain words, query cleaning.

One analyzer (lower case, English stop words, Porter stemming) is used everywhere so the
index, the related-page ranking and query cleaning agree on what a "word" is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.analysis import StemmingAnalyzer
from whoosh.analysis.filters import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.lang.porter import stem

# Words that carry no meaning in a customer question ("hi, how do I ... please, thanks").
QUESTION_STOP_WORDS = frozenset(
    """
    hi hello hey dear thanks thank please regards cheers pls thx anyone anybody someone somebody
    know knows need needs want wants would could should can does did do doing done get got getting
    how what where when why which who whom whose there here its it's i'm i've im ive my me mine
    our ours we us you your yours just also really still any some every much many more most very
    advice help helpful question questions idea ideas tell let like way ways one thing things
    """.split()
)

STOP_WORDS = frozenset(WHOOSH_STOP_WORDS) | QUESTION_STOP_WORDS

_CODE_FENCE = re.compile(r"^\s{0,3}(```|~~~).*$", re.MULTILINE)
# Every pattern below runs in time linear in the text (a 1 MB body of '<', '[' or blank lines
# took minutes): no repeat may cross into a position where the same pattern could start again,
# so link text stops at '[', a destination at "](", a tag at '<', and line patterns at '\n'.
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\((?:(?!\]\()[^)\n])*\)")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_HTML_TAG = re.compile(r"<[^<>\n]+>")
_LINE_SPACE = r"[^\S\n]*+"  # blanks within one line, taken whole (never given back)
_TABLE_RULE = re.compile(
    rf"^{_LINE_SPACE}\|?{_LINE_SPACE}:?-{{3,}}:?{_LINE_SPACE}(?:\|{_LINE_SPACE}:?-{{3,}}:?{_LINE_SPACE})*\|?{_LINE_SPACE}$", re.MULTILINE
)
_ADMONITION = re.compile(rf"^{_LINE_SPACE}(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*\s*", re.MULTILINE)
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[*_`#>|~\"]+")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-+]|\d+\.)[ \t]", re.MULTILINE)

MINIMUM_LENGTH = 2
# Whoosh's default token pattern, without its capturing group so that findall returns whole words.
_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
_stem = lru_cache(maxsize=200_000)(stem)


def analyzer() -> StemmingAnalyzer:
    """The analyzer of every text field of the index (stop words, stemming)."""
    return StemmingAnalyzer(stoplist=STOP_WORDS, minsize=MINIMUM_LENGTH, cachesize=50000)


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees: link text kept, URLs, tags and markup removed."""
    text = _CODE_FENCE.sub(" ", markdown)
    text = _REFERENCE_DEFINITION.sub(" ", text)
    text = _TABLE_RULE.sub(" ", text)
    text = _ADMONITION.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _LIST_MARKER.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    return " ".join(text.split())


def terms(text: str) -> list[str]:
    """The stemmed index terms of ``text``, in order, stop words removed: what ``analyzer()`` gives.

    The same steps without Whoosh's token objects: two to three times faster on a large corpus.
    """
    return [_stem(word) for word in map(str.lower, _WORD.findall(text)) if len(word) >= MINIMUM_LENGTH and word not in STOP_WORDS]


def unique_terms(texts: Iterable[str]) -> list[str]:
    """Stemmed terms of several texts, each once, in first-seen order (deterministic queries)."""
    seen: dict[str, None] = {}
    for text in texts:
        for term in terms(text):
            seen.setdefault(term, None)
    return list(seen)
