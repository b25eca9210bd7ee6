"""Write a draft FAQ article per uncovered group, idempotently, and update ``asked`` in place.

A draft carries a fingerprint of what the miner generated (a ``kbgen-mine`` comment at the end of
its body: the SHA-256 of the file without that line and with ``asked`` zeroed). On a re-run a draft
whose fingerprint still matches is regenerated (new volume, new paraphrases); one a writer has
edited, or any file without the fingerprint, is left byte for byte as it is. ``update_asked``
changes only the ``asked:`` line of a file's front matter.

Every string in a draft came from customers: front-matter values are written by a YAML dumper
(the site escapes them when it renders them) and text in the Markdown body is escaped, so a
typed ``<img onerror=…>`` stays text once the draft is published.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kbgen.community.html import escape_markdown
from kbgen.content import document_text, question_wordings, read_front_matters, set_front_matter_line, write_text_atomically
from kbgen.content import slugify as content_slugify
from kbgen.mine.group import TextVectorizer
from kbgen.mine.match import MAX_TAGS, ArticleMatcher, RelatedThread, closeness, draft_article, group_wordings, site_tags
from kbgen.mine.records import QuestionGroup
from kbgen.schema import ARTICLE

log = logging.getLogger(__name__)

MARKER_PREFIX = "<!-- kbgen-mine: sha256="
_MARKER = re.compile(r"^<!-- kbgen-mine: sha256=([0-9a-f]{64}) -->[ \t]*\r?\n?", re.MULTILINE)
_ASKED_LINE = re.compile(r"^asked:[^\r\n]*", re.MULTILINE)
MAX_SLUG_LENGTH = 60
# A group is the one a draft was written for when its wordings are this close to the draft's questions.
SAME_DRAFT_SIMILARITY = 0.5

SKELETON = """\
<!-- Draft written by kbgen mine from {asked} customer question{plural}. Replace the text in italics with the answer, then set `status: published`; or set `status: rejected` to keep it unpublished and never drafted again. -->

_Answer "{title}" in one or two sentences: what the customer should do, or why it happens._
{context}
1. _First step, with the exact place in the app (e.g. **Settings → …**)._
2. _Next step._
3. _How the customer can tell it worked._

## If that didn't help

_What to check next, and what to send support (see the contact page) if it still fails._
"""


@dataclass(frozen=True)
class DraftFile:
    """A draft found on disk: where it is, its questions, and whether the miner still owns it."""

    path: Path
    variants: tuple[str, ...]
    generated: bool  # written by the miner and unedited since
    rejected: bool = False  # ``status: rejected``: a writer decided not to publish it; the miner leaves it be


def draft_slug(text: str) -> str:
    """A draft's file name: lower-case ASCII words, at most MAX_SLUG_LENGTH characters, cut at a word."""
    return content_slugify(text, max_words=None, max_length=MAX_SLUG_LENGTH, fallback="question")


@dataclass(frozen=True)
class ToldApart:
    """A page ``kbgen check`` would call a likely duplicate of a draft, and why kbgen mine judged them two questions."""

    path: str  # content path, listed under the draft's ``unrelated:``
    title: str
    because: str  # what mine saw, in a clause: "that article is asked the way customers ask …"


def render_draft(group: QuestionGroup, threads: Sequence[RelatedThread] = (), tags: Sequence[str] = (), apart: Sequence[ToldApart] = ()) -> str:
    """The full Markdown text of a group's draft, fingerprint included.

    ``tags`` must come from the site's vocabulary (``site_tags``); ``threads`` are solved community
    threads to cite in the body, so the writer starts from what the community already answered.
    ``apart``: pages ``kbgen check`` would call likely duplicates of the draft although mine judged them
    other questions (``DraftWriter``, from ``kbgen check``'s own test); the draft lists them under ``unrelated:`` and its body
    says why, for the writer to confirm or delete.
    """
    front = {
        "title": group.title,
        "questions": list(group.questions),
        "tags": list(tags[:MAX_TAGS]),
        "asked": group.asked,
        "status": "draft",
    }
    if apart:
        front["unrelated"] = [page.path for page in apart]
    if not front["questions"]:
        del front["questions"]
    if not front["tags"]:
        del front["tags"]
    # Front-matter values are YAML-safe above and escaped by the site; the body is Markdown, so the title is escaped.
    body = SKELETON.format(
        asked=group.asked,
        plural="" if group.asked == 1 else "s",
        title=escape_markdown(group.title.replace('"', "'")),
        context=_context(group, threads) + "".join(_told_apart(page) for page in apart),
    )
    text = document_text(front, ARTICLE, body)
    return f"{text}\n{MARKER_PREFIX}{fingerprint(text)} -->\n"


def _context(group: QuestionGroup, threads: Sequence[RelatedThread]) -> str:
    """What the writer should know: how often and how lately it is asked, and what the community answered."""
    lines = [f"\n> Asked {group.asked} time{'s' if group.asked != 1 else ''}" + (f"; {_trend_words(group)}." if group.trend else ".")]
    if threads:
        lines += ["", "Already answered in the community:", ""]
        lines += [f"- [{escape_markdown(thread.title)}]({_relative_link(thread.path)})" for thread in threads]
    return "\n".join(lines) + "\n"


def _told_apart(page: ToldApart) -> str:
    """Why the draft is not that page, so that the writer can check it."""
    return (
        f"\n> Not the same question as [{escape_markdown(page.title)}]({_relative_link(page.path)}), kbgen mine judged: "
        f"{page.because}. If they are the same, merge this draft into it; if not, keep `unrelated:` so that "
        "`kbgen check` stops calling them duplicates.\n"
    )


def _trend_words(group: QuestionGroup) -> str:
    if group.trend == "new":
        return f"new in the last 30 days of the log ({group.recent} times)"
    return f"{group.trend}: {group.previous} in the 30 days before, {group.recent} in the last 30 days of the log"


def _relative_link(thread_path: str) -> str:
    """A link from ``faq/<category>/<draft>.md`` to ``community/<category>/<thread>.md``."""
    return f"../../{thread_path}"


def fingerprint(text: str) -> str:
    """SHA-256 of a draft without its marker line and with ``asked`` zeroed (volume changes are ours)."""
    text = _MARKER.sub("", text).rstrip("\r\n")
    text = _ASKED_LINE.sub("asked: 0", text, count=1)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_generated(text: str) -> bool:
    """True when the file is a miner's draft that nobody has edited since."""
    found = _MARKER.search(text)
    return found is not None and found.group(1) == fingerprint(text)


def update_asked(path: Path, asked: int) -> bool:
    """Set ``asked: N`` in a Markdown file's front matter, leaving every other byte alone. True if changed."""
    return set_front_matter_line(path, "asked", str(asked))


def find_drafts(folder: Path) -> list[DraftFile]:
    """Draft articles under ``folder``: the miner's (fingerprinted), writers' (status: draft) and rejected ones."""
    drafts: list[DraftFile] = []
    if not folder.is_dir():
        return drafts
    for relative, text, front in read_front_matters(folder, "**/*.md"):
        path = folder / relative
        status = front.data.get("status")
        if MARKER_PREFIX not in text and status not in ("draft", "rejected"):
            continue
        variants = tuple(wording for wording in question_wordings(front.data) if wording.strip())
        drafts.append(DraftFile(path, variants, is_generated(text), rejected=status == "rejected"))
    return drafts


# Placed drafts the miner writes: one of its own from an earlier run, or a new file.
_OURS = ("existing", "new")


def _why_apart(group: QuestionGroup, other: str, siblings: dict[str, QuestionGroup]) -> str:
    """Why mine judged ``group`` another question than the page at ``other``, or "" if it did not."""
    match = group.match
    if match is not None and match.closer_group and match.path == other:
        return f"that article is asked the way customers ask \u201c{escape_markdown(match.closer_group)}\u201d"
    sibling = siblings.get(other)
    if sibling is not None:
        return (
            f"customers ask it apart from \u201c{escape_markdown(sibling.title)}\u201d: grouping kept the two in separate "
            f"groups of the log ({group.asked} and {sibling.asked} questions)"
        )
    return ""


class DraftWriter:
    """Decide, for each uncovered group, which file is its draft, and write it when the miner owns it."""

    def __init__(self, content_root: Path, out_dir: Path, matcher: ArticleMatcher, *, update_asked: bool = False) -> None:
        self.content_root = content_root
        self.out_dir = out_dir
        self.matcher = matcher
        self.update_asked = update_asked
        self.existing = find_drafts(out_dir)
        self.claimed: set[Path] = set()
        self.tags = matcher.tags
        self.removed: list[str] = []  # content paths of the miner's own drafts removed as answered elsewhere

    def write(self, groups: Sequence[QuestionGroup]) -> list[QuestionGroup]:
        """The groups with ``draft_path`` and ``draft_state`` set for the uncovered ones."""
        uncovered = [group for group in groups if not group.covered]
        vectorizer = TextVectorizer()
        vectorizer.fit_transform([*(variant for draft in self.existing for variant in draft.variants), *(w for g in uncovered for w in group_wordings(g))] or ["question"])
        self.draft_vectors = [vectorizer.transform(list(draft.variants)) if draft.variants else None for draft in self.existing]
        self.vectorizer = vectorizer
        self.files: dict[str, Path] = {}
        placed = [group if group.covered else self._place(group) for group in groups]
        self.removed, apart = self._as_check_would_see(placed)
        for path in self.removed:
            self.files[path].unlink(missing_ok=True)
            log.info("%s: removed, an unedited draft of a question now answered by a published article or a newer draft", path)
        return [self._write(group, apart.get(number, ())) if group.draft_state in _OURS else group for number, group in enumerate(placed)]

    def _render(self, group: QuestionGroup, apart: Sequence[ToldApart] = ()) -> str:
        return render_draft(group, self.matcher.solved_threads(group), site_tags(self.tags, group), apart)

    def _as_check_would_see(self, groups: Sequence[QuestionGroup]) -> tuple[list[str], dict[int, tuple[ToldApart, ...]]]:
        """What ``kbgen check`` would say of the drafts as mine is about to leave them: the miner's old drafts
        answered elsewhere (to remove), and for each draft it is about to write (by position in ``groups``)
        the pages check would call its likely duplicates although mine judged them other questions.

        Two cases: another group of the log (its draft, written now or kept by a writer), which grouping
        kept apart; and the published article the matcher refused because it answers another group better
        (two sibling needs, such as asking for a vacation and asking whether it was approved). Check's
        own test decides (``kbgen.check.duplicate_pairs``, on the tree as it will be), so a fresh
        ``kbgen mine`` leaves no likely-duplicate warning among its drafts; merging the two instead
        joined different needs in every case measured (10 of 10 on three CLINC150 logs, lexical and
        semantic: "What is your name?" with "What is my name?").

        A draft the miner wrote on an earlier run, unedited and claimed by no group now, that check would
        call a copy of another page (an article published since, or this run's draft of the same need) is
        answered there: ``write`` deletes it (it held nothing but mined text).
        """
        from kbgen.check import duplicate_pairs  # the same test ``kbgen check`` runs

        try:
            self.out_dir.resolve().relative_to(self.content_root.resolve())
        except ValueError:
            return [], {}  # drafts outside the content folder are not checked with it
        ours = {group.draft_path: number for number, group in enumerate(groups) if group.draft_state in _OURS}
        stale = {self._shown(draft.path): draft.path for draft in self.existing if draft.generated and draft.path not in self.claimed}
        if not ours and not stale:
            return [], {}
        siblings = {group.draft_path: group for group in groups if group.draft_path}
        drafts = [draft_article(groups[number], site_tags(self.tags, groups[number]), path) for path, number in ours.items()]
        articles = [article for article in self.matcher.corpus.articles if article.path not in ours] + drafts
        pairs = duplicate_pairs(articles)
        answered = sorted(
            {draft.path for first, second, _ in pairs for draft, other in ((first, second), (second, first)) if draft.path in stale and other.path not in stale}
        )
        if answered:
            self.files.update((path, stale[path]) for path in answered)
            articles = [article for article in articles if article.path not in answered]
            pairs = duplicate_pairs(articles)
        found: dict[int, dict[str, ToldApart]] = {}
        for first, second, _ in pairs:
            for draft, other in ((first, second), (second, first)):
                number = ours.get(draft.path)
                because = _why_apart(groups[number], other.path, siblings) if number is not None else ""
                if because:
                    found.setdefault(number, {})[other.path] = ToldApart(other.path, other.title, because)
        return answered, {number: tuple(pages[path] for path in sorted(pages)) for number, pages in found.items()}

    def _place(self, group: QuestionGroup) -> QuestionGroup:
        """The group with the file that is its draft: a writer's (kept, or rejected: a question the team decided
        not to answer in the help center), the miner's from an earlier run, or a new one."""
        existing = self._existing_draft(group)
        if existing is not None:
            self.claimed.add(existing.path)
            if existing.rejected:
                log.debug("%s: rejected by a writer, no draft written", existing.path)
                return replace(group, draft_path=self._shown(existing.path), draft_state="rejected")
            if not existing.generated:
                if self.update_asked:
                    update_asked(existing.path, group.asked)
                log.debug("%s: edited by a writer, left as it is", existing.path)
                return replace(group, draft_path=self._shown(existing.path), draft_state="kept")
            path, state = existing.path, "existing"
        else:
            path, state = self._new_path(group), "new"
            self.claimed.add(path)
        self.files[self._shown(path)] = path
        return replace(group, draft_path=self._shown(path), draft_state=state)

    def _write(self, group: QuestionGroup, apart: Sequence[ToldApart]) -> QuestionGroup:
        path = self.files[group.draft_path]
        text = self._render(group, apart)
        if group.draft_state == "new":
            write_text_atomically(path, text)
            return replace(group, draft_state="created")
        if path.read_text(encoding="utf-8") == text:
            return replace(group, draft_state="unchanged")
        write_text_atomically(path, text)
        return replace(group, draft_state="updated")

    def _existing_draft(self, group: QuestionGroup) -> DraftFile | None:
        """The draft already written for this need: the closest one in --out, if close enough."""
        question_vectors = self.vectorizer.transform(group_wordings(group))
        best: tuple[float, str, DraftFile] | None = None
        for draft, draft_vectors in zip(self.existing, self.draft_vectors, strict=True):
            if draft.path in self.claimed or draft_vectors is None:
                continue
            similarity = closeness(question_vectors, draft_vectors)
            if similarity >= SAME_DRAFT_SIMILARITY and (best is None or (similarity, str(draft.path)) > best[:2]):
                best = (similarity, str(draft.path), draft)
        return best[2] if best else None

    def _new_path(self, group: QuestionGroup) -> Path:
        folder = self.out_dir / group.category
        slug = draft_slug(group.title)
        path = folder / f"{slug}.md"
        number = 2
        while path.exists() or path in self.claimed:
            path = folder / f"{slug}-{number}.md"
            number += 1
        return path

    def _shown(self, path: Path) -> str:
        """Where a draft is, as a content path when it is inside the content folder."""
        try:
            return path.resolve().relative_to(self.content_root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def update_matched_articles(content_root: Path, groups: Sequence[QuestionGroup]) -> list[str]:
    """Set ``asked`` on each article that covers groups to their total volume. Returns the changed paths."""
    totals: dict[str, int] = {}
    for group in groups:
        if group.covered and group.match is not None:
            totals[group.match.path] = totals.get(group.match.path, 0) + group.asked
    return [path for path in sorted(totals) if update_asked(content_root / path, totals[path])]
