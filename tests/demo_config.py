"""The demo's mkdocs.yml written into another folder, with a language and options of its own.

Test modules import it as ``from demo_config import demo_config`` (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FEEDBACK = "      feedback:\n        target: http://localhost:9/collect\n"  # turns on "Was this helpful?" (nothing is sent at build time)


def demo_config(folder: Path, language: str, *, custom_dir: Path | None = None, feedback: str = FEEDBACK) -> Path:
    """The demo's config in ``folder`` (so the build has its own cache), with ``theme.language`` and a feedback target.

    ``custom_dir`` replaces the demo's theme folder (kbgen's own theme, in the package, still comes after it).
    """
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {REPO_ROOT / 'content'}")
    text = text.replace("custom_dir: theme", f"custom_dir: {custom_dir or REPO_ROOT / 'theme'}")
    text = text.replace("language: en", f"language: {language}")
    assert f"language: {language}" in text and text.rstrip().endswith("target: mailto:support@brightbill.example"), "the demo's mkdocs.yml changed shape"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(text.rstrip("\n") + "\n" + feedback, encoding="utf-8")
    return folder / "mkdocs.yml"
