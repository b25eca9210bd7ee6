"""The summary box a thread page opens with: the problem, what was tried, what solved it.

Extractive and deterministic: sentences are quoted from the thread, never generated. Each part
must add something to the page it sits on: the problem is the one question sentence that states
it best (never the whole first paragraph again, never the title again), what was tried appears
only when the asker says so, and the solution is the central sentence of the accepted (else the
best-voted) answer — the one closest to the rest of the answer and to the question, not a
preamble such as "I read everyone's answer". A part with nothing good to say is left out; a
thread with no part gets no box. A ``summary:`` mapping in the front matter overrides each part
it sets.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from kbgen.community.text import plain_text, sentences, shorten
from kbgen.model import Post, Thread, ThreadSummary

TRIED_SENTENCES = 2
PART_LIMIT = 320  # characters per part: a box, not a copy of the thread
MIN_WORDS, MAX_WORDS = 5, 60  # a sentence shorter says too little alone; longer is a paragraph
MIN_SOLUTION_SCORE = 0.1  # below it, no answer sentence stands for the answer
STEM_LENGTH = 6

# Phrases by which askers say what they already did.
_TRIED = re.compile(
    r"\b(?:I(?:'ve| have)? (?:already |also |even |then )?(?:tried|tested|checked|restarted|reinstalled|cleared|"
    r"disabled|enabled|removed|updated|followed|searched|looked|read|double-checked|contacted|attempted|rebooted|"
    r"reconnected|retried|re-?saved|reset|deleted|uninstalled|logged out|signed out|switched|changed)"
    r"|I(?:'ve| have) already|already tried|tried (?:to|again|with|using|both|everything|the)|"
    r"(?:didn't|did not|doesn't|does not|won't|isn't|no) (?:help|work|change anything|fix)|"
    r"no luck|without (?:any )?(?:luck|success)|same (?:result|error|problem)|still (?:get|see|happens|fails|doesn't|does not|no))",
    re.IGNORECASE,
)
# Sentences that frame an answer rather than give it.
_PREAMBLE = re.compile(
    r"^(?:I (?:read|did|do not|don't|am not|'m not|think|believe|guess|suppose|would|had|have had|was)\b|"
    r"(?:Good|Great|Interesting|Nice) question|Welcome|Thanks|Thank you|Hope (?:this|that|it) helps|Hi\b|Hello\b|"
    r"Disclaimer|Edit\b|Update\b|As (?:others|someone) (?:said|mentioned)|(?:Well|So|OK|Ok|Okay)\b[, ])",
    re.IGNORECASE,
)
# What states a problem: a question, or words of something going wrong.
_PROBLEM_CUE = re.compile(
    r"\?$|\b(?:how|why|what|which|can't|cannot|can not|doesn't|does not|won't|isn't|error|fails?|failed|problem|issue|wrong|"
    r"stopped|broken|unable|instead of|should I|is it)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both but by
    can could did do does doing down during each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves also any anyone get got like one really thing things way well much
    many may might must even still yet i'm i've it's don't can't""".split()
)


def summarize_thread(thread: Thread) -> ThreadSummary:
    """Problem, tried and solution of ``thread``; parts written in its front matter win."""
    question = sentences(thread.body)
    asker_comments = [sentence for comment in thread.comments if comment.author == thread.author for sentence in sentences(comment.body)]
    tried_sentences = [sentence for sentence in (*question, *asker_comments) if _TRIED.search(sentence)]
    tried = _join(list(dict.fromkeys(tried_sentences))[:TRIED_SENTENCES])
    problem = problem_sentence(thread, [sentence for sentence in question if sentence not in tried_sentences])
    answer = best_answer(thread)
    solution = solution_sentence(thread, answer) if answer is not None else ""
    written = thread.summary or ThreadSummary()
    return ThreadSummary(
        problem=written.problem.strip() or problem,
        tried=written.tried.strip() or tried,
        solution=written.solution.strip() or solution,
    )


def best_answer(thread: Thread) -> Post | None:
    """The accepted answer, else the highest-voted one with a positive score, else none."""
    ranked = thread.answers_best_first
    if not ranked:
        return None
    first = ranked[0]
    return first if first.accepted or first.votes > 0 else None


def problem_sentence(thread: Thread, candidates: list[str]) -> str:
    """The question sentence that states the problem best, if it says more than the title and first paragraph."""
    # The first paragraph with words in it (a rule or an image above it is no paragraph to the reader).
    paragraphs = [paragraph for paragraph in plain_text(thread.body).split("\n\n") if _WORD.search(paragraph)]
    first_paragraph = _normalized(paragraphs[0]) if paragraphs else ""
    title_words = _content_words(thread.title)
    scored = []
    for position, sentence in enumerate(candidates):
        words = _content_words(sentence)
        if not MIN_WORDS <= len(sentence.split()) <= MAX_WORDS or not words:
            continue
        if _normalized(sentence) in (first_paragraph, _normalized(thread.title)):
            continue  # the page shows it right below, or as its heading
        overlap = len(words & title_words) / math.sqrt(len(words))
        score = overlap + (0.6 if _PROBLEM_CUE.search(sentence) else 0.0) - 0.05 * position - (0.5 if _PREAMBLE.match(sentence) else 0.0)
        scored.append((score, -position, sentence))
    return shorten(max(scored)[2], PART_LIMIT) if scored else ""


def solution_sentence(thread: Thread, answer: Post) -> str:
    """The answer's central sentence: closest to the rest of the answer and to the question, not a preamble."""
    candidates = [sentence for sentence in sentences(answer.body) if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS]
    if not candidates:
        return ""
    bags = [Counter(_content_list(sentence)) for sentence in candidates]
    answer_bag = sum(bags, Counter())
    question_bag = Counter(_content_list(f"{thread.title} {thread.title} {plain_text(thread.body)}"))
    scored = []
    for position, (sentence, bag) in enumerate(zip(candidates, bags, strict=True)):
        if not bag:
            continue
        centrality = _cosine(bag, answer_bag - bag)  # to the rest of the answer, not to itself
        relevance = _cosine(bag, question_bag)
        score = 0.6 * centrality + 0.4 * relevance - (0.3 if _PREAMBLE.match(sentence) else 0.0) - (0.15 if sentence.endswith("?") else 0.0)
        score -= 0.01 * position
        scored.append((score, -position, sentence))
    if not scored:
        return ""
    best = max(scored)
    if len(candidates) == 1:  # a one-sentence answer is its own centre
        return shorten(best[2], PART_LIMIT)
    return shorten(best[2], PART_LIMIT) if best[0] >= MIN_SOLUTION_SCORE else ""


def _content_list(text: str) -> list[str]:
    """Content words, crudely stemmed: "banks" and "bank", "expired" and "expire" count as one."""
    words = (match.group(0).lower().replace("’", "'") for match in _WORD.finditer(text))
    return [_stem(word) for word in words if word not in _STOPWORDS and len(word) > 2]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:STEM_LENGTH]


def _content_words(text: str) -> set[str]:
    return set(_content_list(text))


def _cosine(left: Counter[str], right: Counter[str]) -> float:
    if not left or not right:
        return 0.0
    dot = sum(count * right[word] for word, count in left.items())
    return dot / math.sqrt(sum(value * value for value in left.values()) * sum(value * value for value in right.values()))


def _normalized(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".?! ")


def _join(parts: list[str]) -> str:
    return shorten(" ".join(parts), PART_LIMIT)
