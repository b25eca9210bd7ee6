"""The summary box a thread page opens with: the problem, what was tried, what solved it.

Extractive and deterministic: sentences are quoted from the thread, never generated. A
``summary:`` mapping in the thread's front matter overrides each part it sets.
"""

from __future__ import annotations

import re

from kbgen.community.text import sentences, shorten
from kbgen.model import Post, Thread, ThreadSummary

PROBLEM_SENTENCES = 2
SOLUTION_SENTENCES = 2
TRIED_SENTENCES = 2
PART_LIMIT = 320  # characters per part: a box, not a copy of the thread

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


def summarize_thread(thread: Thread) -> ThreadSummary:
    """Problem, tried and solution of ``thread``; parts written in its front matter win."""
    question = sentences(thread.body)
    # What the asker added in comments on their own question counts as tried too.
    asker_comments = [sentence for comment in thread.comments if comment.author == thread.author for sentence in sentences(comment.body)]
    tried_sentences = [sentence for sentence in (*question, *asker_comments) if _TRIED.search(sentence)]
    problem_sentences = [sentence for sentence in question if sentence not in tried_sentences] or question[:1]
    problem = _join(problem_sentences[:PROBLEM_SENTENCES])
    tried = _join([sentence for sentence in tried_sentences if sentence not in problem_sentences][:TRIED_SENTENCES])
    answer = best_answer(thread)
    solution = _join(sentences(answer.body)[:SOLUTION_SENTENCES]) if answer is not None else ""
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


def _join(parts: list[str]) -> str:
    return shorten(" ".join(parts), PART_LIMIT)
