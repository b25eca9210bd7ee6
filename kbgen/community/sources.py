"""The forum formats ``kbgen import`` reads, by the name given on the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kbgen.community.discourse import read_discourse
from kbgen.community.github import read_github_discussions
from kbgen.community.records import ImportedItem
from kbgen.community.stackexchange import read_stackexchange

Reader = Callable[[Path, str | None], Iterator[ImportedItem]]

READERS: dict[str, Reader] = {
    "stackexchange": read_stackexchange,
    "discourse": read_discourse,
    "github-discussions": read_github_discussions,
}
