"""What a support writer does to the files kbgen writes, for tests that go on from there.

Test modules import it as ``from writer_actions import publish`` (pytest puts ``tests/`` on the path
through the root conftest).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kbgen.model import UNCATEGORIZED


def publish(draft: Path) -> Path:
    """Accept a draft as it stands: its status becomes ``published`` (the text is left as the tool wrote it).

    A draft mine could not place (``faq/uncategorized/``) moves to the first category of ``categories.yml``,
    as ``kbgen check`` asks before publishing. Returns where the article is now.
    """
    text = draft.read_text(encoding="utf-8")
    assert "status: draft" in text, draft
    article = draft
    if draft.parent.name == UNCATEGORIZED:
        content = draft.parents[2]
        first = next(iter(yaml.safe_load((content / "categories.yml").read_text(encoding="utf-8"))))
        article = content / "faq" / first / draft.name
        draft.unlink()
    article.write_text(text.replace("status: draft", "status: published", 1), encoding="utf-8")
    return article
