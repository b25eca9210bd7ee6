"""Create a new help-center project, and new FAQ or thread files that pass ``kbgen check`` as is."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from kbgen.ci import workflow_files
from kbgen.content import document_text, slugify
from kbgen.errors import KbgenError
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR, FAQ_DIR, load_categories
from kbgen.schema import ARTICLE, THREAD, did_you_mean

SCAFFOLD_PACKAGE = "kbgen.scaffold_files"
CI_TEMPLATES = "ci"  # workflow templates: only the chosen one is written (kbgen.ci)


def init_project(target: Path, ci: str = "github") -> list[Path]:
    """Copy the starter project into ``target`` (which must not already hold a kbgen site), with the workflow of ``ci``.

    ``ci`` is github (``.github/workflows/kbgen.yml``), gitlab (``.gitlab-ci.yml``) or none. Files
    that already exist (a workflow of your own, a .gitignore) are left as they are.
    """
    target = Path(target)
    if (target / "mkdocs.yml").exists():
        raise KbgenError(str(target / "mkdocs.yml"), "a site already exists here", hint="choose an empty folder, or delete mkdocs.yml first")
    source = resources.files(SCAFFOLD_PACKAGE)
    files = {_destination(relative): source.joinpath(relative).read_bytes() for relative in _walk(source)}
    files.update({relative: text.encode("utf-8") for relative, text in workflow_files(ci).items()})
    written: list[Path] = []
    for relative, data in files.items():
        destination = target / relative
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        written.append(destination)
    return written


def _destination(relative: str) -> str:
    """Packaged names stand for dotfiles: ``dot-gitignore`` is written as ``.gitignore``."""
    return "/".join(f".{part[4:]}" if part.startswith("dot-") else part for part in relative.split("/"))


def _walk(node, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for child in sorted(node.iterdir(), key=lambda item: item.name):
        if child.name in ("__init__.py", "__pycache__") or (not prefix and child.name == CI_TEMPLATES):
            continue
        relative = f"{prefix}{child.name}"
        paths.extend(_walk(child, relative + "/") if child.is_dir() else [relative])
    return paths


def new_document(content_root: Path, kind: str, title: str, category: str, *, today: date | None = None) -> Path:
    """Write ``faq/<category>/<slug>.md`` or ``community/<category>/<slug>.md`` from a title."""
    if not title.strip():
        raise KbgenError("TITLE", "the title is empty", hint='give the question in quotes, e.g. kbgen new faq "Reset your password" --category account')
    problems: list[KbgenError] = []
    categories = load_categories(Path(content_root), problems)
    if category not in categories:
        known = ", ".join(categories) or "none yet"
        raise KbgenError(str(Path(content_root) / CATEGORIES_FILE), f"unknown category '{category}'", hint=did_you_mean(category, list(categories)) or f"known categories: {known}")
    folder = FAQ_DIR if kind == "faq" else COMMUNITY_DIR
    path = Path(content_root) / folder / category / f"{slugify(title)}.md"
    if path.exists():
        raise KbgenError(str(path), "file already exists", hint="edit it, or choose another title")
    when = (today or date.today()).isoformat()
    if kind == "faq":
        front = {"title": title.strip(), "questions": [f"How do I {title.strip()[0].lower()}{title.strip()[1:]}?".replace("??", "?")], "tags": [category], "status": "draft", "updated": when, "summary": "One sentence that answers the question."}
        body = "Start with the short answer in one or two sentences.\n\n1. Then the steps, with exact menu paths: **Settings → …**\n2. …\n\n!!! tip \"Still stuck?\"\n    Say what to check next, or when to contact support.\n"
    else:
        front = {"title": title.strip(), "author": "your-name", "date": when, "tags": [category], "votes": 0, "solved": False, "answers": []}
        body = "Describe the problem: what you did, what you expected, what happened instead (exact error message), and what you already tried.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="") as stream:  # "x": never over a file written meanwhile
        stream.write(document_text(front, ARTICLE if kind == "faq" else THREAD, body))
    return path
