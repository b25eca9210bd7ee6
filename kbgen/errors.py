"""The one error family of kbgen: every problem carries a place (path, line, column) and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(eq=True, unsafe_hash=True)
class KbgenError(Exception):
    """A problem found in user input, located and explained.

    Stages raise it (one fatal problem) or collect several in a list; only the CLI and the
    MkDocs plugin decide how to print them. Not frozen: raising sets ``__traceback__`` and
    ``__context__`` on it (contextlib does so from Python), which a frozen dataclass refuses.
    Treat its fields as read-only.
    """

    path: str
    message: str
    line: int = 1
    column: int = 1
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        return self.format()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self) -> str:
        """The message followed by the hint, as one sentence-like string."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def format(self) -> str:
        """``path:line:col: severity: message; hint`` (the compiler convention editors understand)."""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.text()}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so CI shows the problem inline on the diff."""
        level = "error" if self.is_error else "warning"
        text = self.text().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line},col={self.column}::{text}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.message)


def sorted_problems(problems: list[KbgenError]) -> list[KbgenError]:
    """Problems in a stable order: by file, then position, then text; exact repeats removed."""
    return sorted(set(problems), key=KbgenError.sort_key)
