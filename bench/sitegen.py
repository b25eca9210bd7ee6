"""Generate a realistic help center of N pages for benchmarks (articles with variants, threads).

Text is recombined from the demo content's own sentences and product vocabulary with a seeded
random generator, so pages read like support content, differ from each other, and the same
(N, seed) always gives the same files. Usable as a module (``generate_site``) or a script.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_CONTENT = REPO_ROOT / "content"
THREAD_SHARE = 0.6
WORDS_PER_PAGE = 300

_SUBJECTS = [
    "invoice", "quote", "credit note", "payout", "bank feed", "receipt", "expense rule", "VAT rate", "tax report",
    "recurring invoice", "payment reminder", "client record", "project", "time entry", "purchase order", "mileage claim",
    "API key", "webhook", "Xero sync", "QuickBooks export", "Zapier zap", "team member", "two-step code", "password",
    "subscription", "card payment", "refund", "currency", "PDF template", "logo", "mobile app", "push notification",
]
_PROBLEMS = [
    "is not sent", "shows the wrong total", "disappeared", "is duplicated", "cannot be edited", "fails with an error",
    "is stuck as pending", "is missing from the report", "arrives late", "shows the old address", "will not sync",
    "is rounded incorrectly", "does not match the bank", "keeps asking to reconnect", "uses the wrong language",
]
_OPENERS = ["How do I", "Why does my", "Can I", "What happens when my", "Is it possible to", "Where do I find the"]
_VERBS = ["change", "fix", "export", "delete", "restore", "merge", "schedule", "translate", "reconnect", "customise"]


def _sentences(content: Path) -> list[str]:
    sentences: list[str] = []
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            if 40 <= len(sentence) <= 220 and not sentence.startswith(("!!!", "|", "#", "-", "1.")):
                sentences.append(sentence)
    return sentences or ["Open Settings and choose the option you need."]


def _paragraphs(rng: random.Random, sentences: list[str], words: int) -> str:
    paragraphs, current, count = [], [], 0
    while count < words:
        sentence = rng.choice(sentences)
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs) + "\n"


def _question(rng: random.Random, subject: str) -> str:
    opener = rng.choice(_OPENERS)
    if opener in ("How do I", "Can I", "Is it possible to"):
        return f"{opener} {rng.choice(_VERBS)} a {subject}?"
    return f"{opener} {subject} {rng.choice(_PROBLEMS)}?"


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) + "---\n"


def generate_site(target: Path, pages: int, *, seed: int = 0, categories: int = 20) -> Path:
    """Write mkdocs.yml and content/ for ``pages`` pages under ``target``; returns the project dir."""
    rng = random.Random(seed)
    sentences = _sentences(DEMO_CONTENT)
    target = Path(target)
    shutil.rmtree(target, ignore_errors=True)
    content = target / "content"
    content.mkdir(parents=True)
    category_slugs = [f"topic-{index:02d}" for index in range(categories)]
    (content / "categories.yml").write_text(
        yaml.safe_dump({slug: {"title": f"Topic {index + 1}", "description": f"Questions about {_SUBJECTS[index % len(_SUBJECTS)]}s."} for index, slug in enumerate(category_slugs)}, sort_keys=False),
        encoding="utf-8",
    )
    threads = int(pages * THREAD_SHARE)
    for index in range(pages):
        category = category_slugs[index % categories]
        subject = f"{rng.choice(_SUBJECTS)}"
        title = _question(rng, subject).rstrip("?") + f" (case {index})"
        day = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}"
        if index < pages - threads:
            front = {
                "title": title,
                "questions": [f"{_question(rng, subject)} (variant {index}.{n})" for n in range(rng.randint(2, 4))],
                "tags": sorted({subject.split()[0].lower(), rng.choice(_SUBJECTS).split()[0].lower()}),
                "asked": rng.randint(0, 900),
                "status": "published",
                "updated": day,
                "summary": rng.choice(sentences),
            }
            path = content / "faq" / category / f"article-{index:05d}.md"
            body = _paragraphs(rng, sentences, WORDS_PER_PAGE)
        else:
            answers = []
            accepted = rng.randrange(4) if rng.random() < 0.6 else -1
            for answer_index in range(rng.randint(1, 4)):
                answer = {"author": f"user{rng.randint(1, 5000)}", "date": day, "votes": rng.randint(-1, 30)}
                if answer_index == accepted:
                    answer["accepted"] = True
                answer["body"] = _paragraphs(rng, sentences, 50)
                answers.append(answer)
            front = {
                "title": title,
                "author": f"user{rng.randint(1, 5000)}",
                "date": day,
                "tags": [subject.split()[0].lower()],
                "votes": rng.randint(0, 40),
                "solved": any(answer.get("accepted") for answer in answers),
                "answers": answers,
            }
            path = content / "community" / category / f"thread-{index:05d}.md"
            body = _paragraphs(rng, sentences, WORDS_PER_PAGE // 3)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front(front) + body, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("pages", type=int)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    generate_site(arguments.target, arguments.pages, seed=arguments.seed)
    print(f"wrote {arguments.pages} pages under {arguments.target / 'content'}")


if __name__ == "__main__":
    main()
