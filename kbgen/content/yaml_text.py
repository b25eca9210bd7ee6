"""Front-matter values as YAML text in kbgen's one canonical form, so a file loads back to the same values.

The form is the one people write by hand: short text as plain scalars, several lines as ``|``
blocks, quoting only where YAML needs it (double quotes as people type them), dates as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import yaml

INDENT = "  "

# Characters YAML cannot hold unescaped, or reads as line breaks: only a double-quoted scalar keeps them.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\x85\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
# A plain scalar: starts with a letter, digit or a few safe marks; no ': ' or ' #'; no trailing space or colon.
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:](?=\S)")
_FLOW_PLAIN = re.compile(r"\w[\w .+/-]*")
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


class _Resolver(yaml.resolver.Resolver):
    """SafeLoader's implicit types without timestamps, as kbgen's loader reads front matter."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_RESOLVER = _Resolver()
_STRING_TAG = "tag:yaml.org,2002:str"


def field_lines(name: str, value: str, indent: str = "") -> list[str]:
    """``name: value`` lines; ``indent`` may end in '- ' to open a list entry."""
    if _fits_literal_block(value):
        header, body = _literal_block(value, " " * len(indent) + INDENT)
        return [f"{indent}{name}: {header}", *body]
    return [f"{indent}{name}: {scalar(value)}"]


def _fits_literal_block(value: str) -> bool:
    """Several lines that a ``|`` block holds exactly; anything odder is double-quoted instead."""
    if "\n" not in value or not value.strip() or "\r" in value or _NEEDS_ESCAPE.search(value):
        return False
    return not any(line != line.rstrip() for line in value.split("\n"))


def block_list(name: str, values: Iterable[str], indent: str = "") -> list[str]:
    values = tuple(values)
    if not values:
        return []
    return [f"{indent}{name}:", *(f"{indent}{INDENT}- {scalar(value)}" for value in values)]


def flow_list(values: Iterable[str]) -> str:
    # Inside [ ] only simple words stay plain: flow context gives ',', '?', ':' and brackets meanings.
    items = [value if _FLOW_PLAIN.fullmatch(value) and _is_plain(value) else _quoted_scalar(value) for value in values]
    return f"[{', '.join(items)}]"


def yaml_bool(value: bool) -> str:
    return "true" if value else "false"


@functools.lru_cache(maxsize=4096)  # names and dates repeat across a forum's threads; resolving costs
def scalar(value: str) -> str:
    """One line of text as the simplest YAML scalar that reads back as the same string."""
    if _DATE_LIKE.fullmatch(value):
        return value  # kbgen's loader keeps dates as the text written
    if _is_plain(value):
        return value
    return _quoted_scalar(value)


def _quoted_scalar(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) or "\n" in value or "\r" in value:
        return _double_quoted(value)
    return _quoted(value)


def _is_plain(value: str) -> bool:
    if not value or value != value.strip() or any(char in value for char in "\t\n\r") or _NEEDS_ESCAPE.search(value):
        return False
    if not _PLAIN_START.match(value) or ": " in value or " #" in value or value.endswith(":"):
        return False
    if value in ("---", "...") or value.startswith(("--- ", "... ")):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STRING_TAG


def _quoted(value: str) -> str:
    """Double quotes as people write them, unless the text holds a quote or backslash to escape."""
    return f'"{value}"' if '"' not in value and "\\" not in value else _single_quoted(value)


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _double_quoted(value: str) -> str:
    dumped = yaml.dump(value, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=False, width=float("inf"))
    return dumped.rstrip("\n").removesuffix("\n...").rstrip("\n")


def _literal_block(value: str, indent: str) -> tuple[str, list[str]]:
    """A ``|`` block: chomping keeps the exact trailing newlines, an indicator keeps leading spaces."""
    content = value.rstrip("\n")
    trailing = len(value) - len(content)
    chomping = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = content.split("\n")
    first_text = next(line for line in lines if line)
    # Leading spaces on the first line with text would be read as indentation: say it explicitly.
    indicator = str(len(INDENT)) if first_text.startswith(" ") else ""
    body = [f"{indent}{line}" if line else "" for line in lines]
    body += [""] * (trailing - 1)
    return f"|{indicator}{chomping}", body
