"""What every importer yields: a Thread not yet placed in the content tree, or a thread it had to skip."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kbgen.community.html import clean_text
from kbgen.errors import KbgenError
from kbgen.model import Thread

_FRACTION = re.compile(r"(T\d{2}:\d{2}:\d{2})\.\d+")
# Ids and counts are stored as 64-bit integers; a larger number in an export is invalid for its record.
MAX_INTEGER = 2**63 - 1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Strings and brackets of a JSON text, to find where it nests too deep (only once parsing has failed).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


@dataclass(frozen=True)
class Skipped:
    """A source thread left out, and why (counted in the import's summary line)."""

    source_id: str
    reason: str


ImportedItem = Thread | Skipped


def unplaced_thread(**fields: Any) -> Thread:
    """A Thread whose category, slug and path the store fills in when it writes the file."""
    return Thread(path="", category=fields.pop("category", ""), slug="", body_line=1, **fields)


def forum_date(value: str) -> str:
    """An ISO date-time from a forum, to the second (fractions of a second say nothing to readers)."""
    text = value.strip()
    if "." in text:  # most dates have no fraction; the substitution is the costly part
        text = _FRACTION.sub(lambda match: match.group(1), text)
    datetime.fromisoformat(text)  # raises ValueError for the importer to report with its place
    return text


def one_line(value: Any) -> str:
    """A title or user name from a forum: text only, control characters and line breaks removed."""
    return clean_text(str(value)) if value is not None else ""


def clean_tags(tags: list[str]) -> tuple[str, ...]:
    """Lower-case tags in the forum's order, without blanks or repeats."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = one_line(tag).lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def json_files(source: Path) -> list[Path]:
    """``source`` itself, or every ``*.json`` file in the folder ``source``, sorted."""
    if source.is_dir():
        files = sorted(source.glob("*.json"))
        if not files:
            raise KbgenError(str(source), "no .json files in this folder", hint="pass an exported JSON file or a folder of them")
        return files
    if not source.is_file():
        raise KbgenError(str(source), "no such file or folder")
    return [source]


def read_json(path: Path) -> Any:
    """Parsed JSON; invalid or truncated JSON is reported at its line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KbgenError(str(path), "file is not UTF-8 JSON", hint="export it again as JSON") from None
    except OSError as error:
        raise KbgenError(str(path), f"cannot read file: {error.strerror or error}") from None
    try:
        data = json.loads(text, parse_int=_bounded_integer)
    except json.JSONDecodeError as error:
        hint = "the file looks truncated: export it again" if error.pos >= len(text.rstrip()) else ""
        raise KbgenError(str(path), f"invalid JSON: {error.msg}", error.lineno, error.colno, hint) from None
    except RecursionError:
        depth, line = deepest_nesting(text)
        raise KbgenError(str(path), f"the JSON nests {depth} levels deep, more than Python's parser can read", line, hint="forum exports nest a few levels; export the records again") from None
    if _SURROGATE_ESCAPE.search(text):  # rare: only then is the walk over every string worth it
        data = _without_lone_surrogates(data)
    return data


@dataclass(frozen=True)
class OversizedNumber:
    """A JSON integer too large to be an id or a count: kept as a value that no field accepts."""

    digits: int

    def __str__(self) -> str:
        return f"a number of {self.digits} digits"


def _bounded_integer(text: str) -> int | OversizedNumber:
    # Python refuses to convert over 4,300 digits (a ValueError mid-parse, with no place to report),
    # and no 64-bit id or count has more than 19.
    digits = len(text) - text.startswith("-")
    return OversizedNumber(digits) if digits > 19 else int(text)


def deepest_nesting(text: str) -> tuple[int, int]:
    """How deep the brackets of a JSON text nest, and the line where that depth is first reached."""
    depth = deepest = 0
    position = 0
    for token in _JSON_TOKEN.finditer(text):
        character = token.group(0)
        if character in "[{":
            depth += 1
            if depth > deepest:
                deepest, position = depth, token.start()
        elif character in "]}":
            depth -= 1
    return deepest, text.count("\n", 0, position) + 1


def _without_lone_surrogates(data: Any) -> Any:
    """``data`` with each lone surrogate (half of an escaped pair) replaced by U+FFFD, in place; iterative."""

    def fixed(value: Any) -> Any:
        return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value

    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            items = [(fixed(key), fixed(value)) for key, value in node.items()]
            node.clear()
            node.update(items)
            pending.extend(value for _, value in items)
        elif isinstance(node, list):
            node[:] = [fixed(value) for value in node]
            pending.extend(node)
    return fixed(data)


class RecordReader:
    """Typed access to one JSON record; a missing or mistyped field names the file and the record."""

    def __init__(self, path: Path, record: Any, where: str) -> None:
        self.path, self.where = path, where
        if not isinstance(record, dict):
            raise KbgenError(str(path), f"{where} must be a JSON object, not {type(record).__name__}")
        self.record = record

    def fail(self, message: str, hint: str = "") -> KbgenError:
        return KbgenError(str(self.path), f"{self.where}: {message}", hint=hint)

    def get(self, name: str, kind: type | tuple[type, ...], required: bool = True, default: Any = None) -> Any:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(f"missing field '{name}'", "export the full record (see the importer's documentation for the fields it reads)")
            return default
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(f"field '{name}' must be {_kind_name(kind)}, not {value!r}")
        if isinstance(value, OversizedNumber):
            raise self.fail(f"field '{name}' is {value}, larger than any id or count", f"a number here is at most {MAX_INTEGER}")
        if not isinstance(value, kind):
            raise self.fail(f"field '{name}' must be {_kind_name(kind)}, not {type(value).__name__}")
        if isinstance(value, int) and abs(value) > MAX_INTEGER:
            raise self.fail(f"field '{name}' is {value}, larger than any id or count", f"a number here is at most {MAX_INTEGER}")
        return value

    def date(self, name: str) -> str:
        value = self.get(name, str)
        try:
            return forum_date(value)
        except ValueError:
            raise self.fail(f"field '{name}' is not an ISO date-time: {value!r}") from None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a number", float: "a number", bool: "true or false", dict: "an object", list: "a list"}
    return " or ".join(dict.fromkeys(names.get(item, item.__name__) for item in kinds))
