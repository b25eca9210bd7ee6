"""The content contract: which front-matter keys each kind of file takes, and their validation.

A ``Schema`` is plain data (the README's format tables are written from it); ``validate`` turns
a parsed mapping into clean values plus located problems, with "did you mean" for typos.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kbgen.errors import KbgenError
from kbgen.frontmatter import KeyPath, Location
from kbgen.model import ARTICLE_STATUSES

Locate = Callable[..., Location]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | text_list | int | bool | date | choice | records | mapping
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    schema: Schema | None = None  # for records (list of mappings) and mapping
    default: Any = None


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)


COMMENT = Schema(
    "comment",
    (
        Field("author", "text", "who wrote it", required=True),
        Field("author_url", "text", "link to the author's profile in the forum, http(s) (set by kbgen import)", default=""),
        Field("date", "date", "when, YYYY-MM-DD or an ISO date-time", required=True),
        Field("body", "text", "the comment text (Markdown)", required=True),
    ),
)

ANSWER = Schema(
    "answer",
    (
        Field("author", "text", "who answered", required=True),
        Field("author_url", "text", "link to the author's profile in the forum, http(s) (set by kbgen import)", default=""),
        Field("date", "date", "when, YYYY-MM-DD or an ISO date-time", required=True),
        Field("body", "text", "the answer (Markdown; use a '|' block for several lines)", required=True),
        Field("votes", "int", "net votes", default=0),
        Field("accepted", "bool", "true on the answer that solved the problem (at most one)", default=False),
        Field("comments", "records", "comments on this answer", schema=COMMENT, default=()),
        Field("source_id", "text", "id of the post in the forum it was imported from", default=""),
    ),
)

THREAD_SUMMARY = Schema(
    "summary",
    (
        Field("problem", "text", "the problem in one or two sentences", default=""),
        Field("tried", "text", "what the asker already tried", default=""),
        Field("solution", "text", "what solved it", default=""),
    ),
)

THREAD_LINKS = Schema(
    "links",
    (
        Field("duplicates", "text_list", "URLs of forum threads marked as duplicates of this one (set by kbgen import)", default=()),
        Field("related", "text_list", "URLs of forum threads linked as related (set by kbgen import)", default=()),
    ),
)

_OVERRIDES = (
    Field("related", "text_list", "pages to always link as related (content paths)", default=()),
    Field("unrelated", "text_list", "pages never to link as related (content paths)", default=()),
)

ARTICLE = Schema(
    "FAQ article",
    (
        Field("title", "text", "the question or task, as customers say it", required=True),
        Field("questions", "text_list", "other ways customers ask the same thing", default=()),
        Field("tags", "text_list", "lower-case keywords", default=()),
        Field("asked", "int", "how often customers asked it (set by kbgen mine)", minimum=0, default=0),
        Field("status", "choice", "published, draft or rejected (a draft not to publish, never mined again)", choices=ARTICLE_STATUSES, default="published"),
        Field("updated", "date", "date of the last real change, YYYY-MM-DD", default=""),
        Field("summary", "text", "the answer in one sentence", default=""),
        *_OVERRIDES,
    ),
)

THREAD = Schema(
    "community thread",
    (
        Field("title", "text", "the question", required=True),
        Field("author", "text", "who asked", required=True),
        Field("author_url", "text", "link to the author's profile in the forum, http(s) (set by kbgen import)", default=""),
        Field("date", "date", "when it was asked, YYYY-MM-DD or an ISO date-time", required=True),
        Field("tags", "text_list", "lower-case keywords", default=()),
        Field("votes", "int", "net votes on the question", default=0),
        Field("solved", "bool", "true once an answer is accepted", default=False),
        Field("comments", "records", "comments on the question", schema=COMMENT, default=()),
        Field("answers", "records", "the answers, oldest first", schema=ANSWER, default=()),
        Field("source", "text", "URL of the original thread when imported", default=""),
        Field("source_id", "text", "id of the thread in the forum it was imported from", default=""),
        Field("license", "text", "license of imported text, e.g. CC BY-SA 4.0", default=""),
        Field("locked", "bool", "true once a writer edited it: re-import leaves it alone", default=False),
        Field("summary", "mapping", "the summary box: problem, tried, solution", schema=THREAD_SUMMARY),
        Field("links", "mapping", "duplicate and related threads in the source forum, hints for related links", schema=THREAD_LINKS),
        *_OVERRIDES,
    ),
)

SUPPORT_FIELD = Schema(
    "support field",
    (
        Field("id", "text", "identifier, letters, digits and underscores", required=True),
        Field("label", "text", "the question the form asks", required=True),
        Field("type", "choice", "input type", choices=("text", "email", "date", "number", "select", "textarea"), default="text"),
        Field("required", "bool", "whether the form insists on it", default=False),
        Field("options", "text_list", "choices for a select field", default=()),
    ),
)

SUPPORT = Schema(
    "support",
    (
        Field("include", "text", "what customers should have ready when they contact support", default=""),
        Field("fields", "records", "extra contact-form fields for this category", schema=SUPPORT_FIELD, default=()),
    ),
)

CATEGORY = Schema(
    "category",
    (
        Field("title", "text", "name shown to customers", required=True),
        Field("description", "text", "one line under the title", default=""),
        Field("icon", "text", "a Material icon name, e.g. material/cash-multiple", default=""),
        Field("support", "mapping", "what support needs for this category", schema=SUPPORT),
    ),
)

_TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def is_iso_date(value: str) -> bool:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.match(r"\d{4}-\d{2}-\d{2}", value))


def did_you_mean(word: str, candidates: tuple[str, ...] | list[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


def validate(
    data: Mapping[str, Any],
    schema: Schema,
    path: str,
    locate: Locate,
    prefix: KeyPath = (),
) -> tuple[dict[str, Any], list[KbgenError]]:
    """Check ``data`` against ``schema``. Returns clean values (defaults filled) and problems."""
    problems: list[KbgenError] = []
    clean: dict[str, Any] = {}
    names = schema.names()

    def problem(key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = locate(*key_path)
        problems.append(KbgenError(path, message, line, column, hint))

    for key in data:
        if key not in names:
            allowed = ", ".join(names)
            problem((*prefix, key), f"unknown key '{key}' in {schema.name}", did_you_mean(str(key), names) or f"allowed keys: {allowed}")
    for spec in schema.fields:
        key_path = (*prefix, spec.name)
        if spec.name not in data or data[spec.name] is None:
            if spec.required:
                problem(prefix or (spec.name,), f"missing required key '{spec.name}' in {schema.name}", f"add '{spec.name}:' ({spec.help})")
            clean[spec.name] = spec.default
            continue
        value, found = _check_value(data[spec.name], spec, path, locate, key_path)
        problems.extend(found)
        clean[spec.name] = value if not found or value is not None else spec.default
        if clean[spec.name] is None:
            clean[spec.name] = spec.default
    return clean, problems


def _check_value(value: Any, spec: Field, path: str, locate: Locate, key_path: KeyPath) -> tuple[Any, list[KbgenError]]:
    line, column = locate(*key_path)

    def wrong(expected: str, hint: str = "") -> tuple[Any, list[KbgenError]]:
        message = f"'{spec.name}' must be {expected}, not {describe(value)}"
        return None, [KbgenError(path, message, line, column, hint)]

    if spec.kind == "text":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return wrong("text")
        if not isinstance(value, str):
            return wrong("text", "put the value in quotes")
        if spec.required and not value.strip():
            return None, [KbgenError(path, f"'{spec.name}' is empty", line, column, f"write {spec.help}")]
        return value, []
    if spec.kind == "text_list":
        if isinstance(value, str):
            return wrong("a list", f"write '{spec.name}: [{value}]' or one '- item' per line")
        if not isinstance(value, list):
            return wrong("a list")
        problems = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                item_line, item_column = locate(*key_path, index)
                problems.append(
                    KbgenError(path, f"item {index + 1} of '{spec.name}' must be non-empty text, not {describe(item)}", item_line, item_column, "put it in quotes")
                )
        return tuple(item.strip() for item in value if isinstance(item, str) and item.strip()), problems
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return wrong("a whole number")
        if spec.minimum is not None and value < spec.minimum:
            return None, [KbgenError(path, f"'{spec.name}' must be at least {spec.minimum}, not {value}", line, column)]
        return value, []
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return wrong("true or false")
        return value, []
    if spec.kind == "date":
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is None or not is_iso_date(text):
            return None, [KbgenError(path, f"'{spec.name}' is not a valid date: {value!r}", line, column, "write it as YYYY-MM-DD, e.g. 2026-03-14")]
        return text, []
    if spec.kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            choices = " or ".join(repr(choice) for choice in spec.choices)
            hint = did_you_mean(str(value), spec.choices) or f"use {choices}"
            return None, [KbgenError(path, f"unknown {spec.name} {value!r}", line, column, hint)]
        return value, []
    if spec.kind == "mapping":
        if not isinstance(value, dict):
            return wrong("a mapping of 'key: value' lines")
        assert spec.schema is not None
        return validate(value, spec.schema, path, locate, key_path)
    if spec.kind == "records":
        if not isinstance(value, list):
            return wrong("a list of entries starting with '- '")
        assert spec.schema is not None
        records, problems = [], []
        for index, item in enumerate(value):
            item_path = (*key_path, index)
            if not isinstance(item, dict):
                item_line, item_column = locate(*item_path)
                problems.append(KbgenError(path, f"entry {index + 1} of '{spec.name}' must be a mapping of 'key: value' lines, not {describe(item)}", item_line, item_column))
                continue
            record, found = validate(item, spec.schema, path, locate, item_path)
            record["_line"] = locate(*item_path)[0]
            problems.extend(found)
            records.append(record)
        return records, problems
    raise ValueError(f"unknown field kind {spec.kind!r}")  # a bug in a Schema, not in content
