"""Turn a solved community thread into an FAQ draft: the accepted answer, said once, for everyone.

The draft (``status: draft``) takes its title from the thread, its question variants from the
title's usual rephrasings and from the titles of threads the forum marked as duplicates, its
answer from the accepted answer, and ends with a link back to the thread (and the attribution
its license asks for). ``kbgen check`` passes on it as written.

The thread is untrusted and the article is trusted (the site renders it with its own Markdown,
raw HTML allowed), so nothing crosses as typed: the answer is rendered, sanitized and converted
back to Markdown the way importers convert forum posts, and every other piece of thread text in
the body is escaped. Front-matter values are escaped by the site when it renders them.
"""

from __future__ import annotations

import re
from pathlib import Path

from kbgen.check import normalize_question
from kbgen.community.html import escape_markdown, markdown_to_markdown
from kbgen.community.store import index_threads
from kbgen.community.text import sentences, shorten
from kbgen.content import document_text, question_wordings, read_front_matters, slugify, write_text_atomically
from kbgen.errors import KbgenError
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR, FAQ_DIR, load_categories, load_thread
from kbgen.model import Thread
from kbgen.schema import ARTICLE, did_you_mean

SUMMARY_LIMIT = 200

# (pattern, replacement) pairs: the same question in the words customers also use.
_REPHRASINGS = (
    (re.compile(r"^how do i (.+?)\??$", re.IGNORECASE), ("How can I {0}?", "How to {0}")),
    (re.compile(r"^how can i (.+?)\??$", re.IGNORECASE), ("How do I {0}?", "How to {0}")),
    (re.compile(r"^how to (.+?)\??$", re.IGNORECASE), ("How do I {0}?", "How can I {0}?")),
    (re.compile(r"^can i (.+?)\??$", re.IGNORECASE), ("Is it possible to {0}?",)),
    (re.compile(r"^is it possible to (.+?)\??$", re.IGNORECASE), ("Can I {0}?",)),
    (re.compile(r"^is there a way to (.+?)\??$", re.IGNORECASE), ("Can I {0}?", "How do I {0}?")),
)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# A source URL that Markdown may show as an autolink ``<…>``: http(s), nothing that ends or opens a tag.
_AUTOLINK_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def content_root_of(thread_file: Path) -> tuple[Path, str]:
    """The content folder holding ``community/<category>/<slug>.md``, and the file's path inside it."""
    thread_file = Path(thread_file).resolve()
    parts = thread_file.parts
    if len(parts) < 4 or parts[-3] != COMMUNITY_DIR or thread_file.suffix != ".md":
        raise KbgenError(str(thread_file), "not a community thread file", hint="pass content/community/<category>/<slug>.md")
    root = thread_file.parents[2]
    return root, thread_file.relative_to(root).as_posix()


def title_variants(title: str) -> list[str]:
    """Usual rephrasings of a question title (``How do I`` ↔ ``How can I``, without asides in brackets)."""
    variants: list[str] = []
    short = _PARENTHESES.sub("", title).strip()
    for text in dict.fromkeys((title, short)):
        for pattern, replacements in _REPHRASINGS:
            match = pattern.match(text)
            if match:
                variants += [replacement.format(match.group(1).rstrip(" ?")) for replacement in replacements]
    if short and short != title:
        variants.append(short)
    return variants


def promote_thread(thread_file: Path, category: str | None = None) -> Path:
    """Write ``faq/<category>/<slug>.md`` from the solved thread in ``thread_file``; returns its path."""
    root, relative = content_root_of(thread_file)
    thread, problems = load_thread(root, relative)
    errors = [problem for problem in problems if problem.is_error]
    if thread is None or errors:
        raise errors[0] if errors else KbgenError(relative, "cannot read the thread")
    accepted = thread.accepted_answer
    if accepted is None:
        raise KbgenError(relative, "the thread has no accepted answer to promote", thread.body_line, hint="mark the answer that solved it with 'accepted: true' first")
    category = category or thread.category
    categories = load_categories(root, [])
    if categories and category not in categories:
        raise KbgenError(CATEGORIES_FILE, f"unknown category '{category}'", hint=did_you_mean(category, list(categories)) or f"use one of: {', '.join(categories)}")
    slug = slugify(thread.title)
    target = root / FAQ_DIR / category / f"{slug}.md"
    taken = sorted((root / FAQ_DIR).glob(f"*/{slug}.md"))
    if taken:
        raise KbgenError(taken[0].relative_to(root).as_posix(), "an FAQ article with this file name already exists", hint="edit that article, or rename it first")
    asked_elsewhere = _questions_of_articles(root)
    if normalize_question(thread.title) in asked_elsewhere:
        raise KbgenError(relative, f"the question {thread.title!r} is already answered by {asked_elsewhere[normalize_question(thread.title)]}", hint="link the thread from that article instead")
    questions = _question_variants(thread, root, asked_elsewhere)
    write_text_atomically(target, _article_text(thread, questions, relative, target.relative_to(root).as_posix()))
    return target


def _questions_of_articles(root: Path) -> dict[str, str]:
    """Normalized question → article path, for every FAQ article (its title and questions)."""
    asked: dict[str, str] = {}
    for relative, _, front_matter in read_front_matters(root, f"{FAQ_DIR}/*/*.md"):
        for question in question_wordings(front_matter.data):
            asked.setdefault(normalize_question(question), relative)
    return asked


def _question_variants(thread: Thread, root: Path, asked_elsewhere: dict[str, str]) -> list[str]:
    candidates = title_variants(thread.title)
    if thread.links.duplicates:
        known = index_threads(root / COMMUNITY_DIR)
        candidates += [known[url].title for url in thread.links.duplicates if url in known and known[url].title]
    seen = {normalize_question(thread.title)}
    questions = []
    for candidate in candidates:
        key = normalize_question(candidate)
        if key and key not in seen and key not in asked_elsewhere:
            seen.add(key)
            questions.append(candidate)
    return questions


def _article_text(thread: Thread, questions: list[str], thread_path: str, article_path: str) -> str:
    accepted = thread.accepted_answer
    assert accepted is not None
    answer = promoted_answer_markdown(accepted.body, thread.source)
    first_sentences = sentences(accepted.body)  # plain text for front matter, which the site escapes
    front: dict[str, object] = {"title": thread.title, "questions": questions, "tags": list(thread.tags), "status": "draft", "updated": accepted.date[:10]}
    front = {name: value for name, value in front.items() if value != []}
    if first_sentences:
        front["summary"] = shorten(first_sentences[0], SUMMARY_LIMIT)
    link = "../../" + thread_path  # both files sit two folders below the content root
    credit = f"Answer by {escape_markdown(accepted.author)} in the community thread [{escape_markdown(thread.title)}]({link})"
    if thread.source:
        shown = f"<{thread.source}>" if _AUTOLINK_URL.fullmatch(thread.source) else escape_markdown(thread.source)
        credit += f", originally posted at {shown}"
    if thread.license:
        credit += f", licensed {escape_markdown(thread.license)}"
    body = f"{answer.rstrip()}\n\n---\n\n*{credit}.*\n"
    assert article_path.startswith(f"{FAQ_DIR}/")
    return document_text(front, ARTICLE, body)


def promoted_answer_markdown(answer: str, source_url: str = "") -> str:
    """An untrusted answer as Markdown a trusted page can hold: formatting, code and links kept, nothing active.

    Relative links are resolved against the thread's source (the forum they were written for);
    without one they are dropped rather than pointed at the help center's own pages.
    """
    base_url = source_url if _AUTOLINK_URL.fullmatch(source_url) else ""
    return markdown_to_markdown(answer, base_url)
