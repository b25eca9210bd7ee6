"""Stream questions out of support logs: CSV, JSON lines, plain text, Zendesk and Freshdesk exports.

Readers never hold a whole log in memory (except a Zendesk API page, which is small by design).
A bad row is logged as ``file:line: warning`` and skipped; a file that cannot be read at all is a
KbgenError. Reading is repeatable: the miner reads its logs twice (sample, then assign).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from kbgen.errors import KbgenError
from kbgen.events import EventError, looks_like_events, parse_event_line
from kbgen.mine.records import LoggedQuestion

log = logging.getLogger(__name__)

FORMATS = ("auto", "csv", "jsonl", "text", "zendesk", "freshdesk", "events")
# Column or key names that usually hold the question, in order of preference (matched without case).
TEXT_COLUMNS = ("question", "questions", "query", "text", "utterance", "message", "body", "content", "subject", "description")
TIME_COLUMNS = ("created_at", "created time", "created", "timestamp", "time", "date", "asked_at", "datetime")
ZENDESK_TEXT = ("subject", "description")
ZENDESK_TIME = ("created_at",)
FRESHDESK_TEXT = ("subject", "description")
FRESHDESK_TIME = ("created time", "created_at", "created date")
# Problems kept for the summary; every one is logged, only the first few are remembered.
KEPT_PROBLEMS = 200
# A field larger than this is a broken row (an unclosed quote swallowing the file), not a question.
MAX_FIELD_CHARACTERS = 1_000_000
# Control characters and lone surrogates (JSON "\\ud800") cannot be written to a draft: each becomes a space.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DAMAGED_GZIP = (EOFError, gzip.BadGzipFile, zlib.error)


@dataclass(frozen=True)
class LogFormat:
    """How to read one file: its format and the names of its text and time fields."""

    name: str
    text_fields: tuple[str, ...] = ()
    time_fields: tuple[str, ...] = ()
    delimiter: str = ","
    joined: bool = False  # the text is every text field found, joined (a ticket's subject and description)
    explicit: bool = False  # the fields were named by the user: a missing one is an error


class QuestionReader:
    """Iterate over the questions of several log files, in order; re-iterable.

    Bad rows are logged (on the first pass only) and counted in ``skipped``.
    """

    def __init__(
        self,
        paths: Iterable[Path | str],
        *,
        log_format: str = "auto",
        text_column: str | None = None,
        time_column: str | None = None,
    ) -> None:
        if log_format not in FORMATS:
            raise ValueError(f"unknown log format {log_format!r}")
        self.paths = tuple(Path(path) for path in paths)
        self.log_format = log_format
        self.text_column = text_column
        self.time_column = time_column
        self.skipped = 0
        self.problems: list[KbgenError] = []
        self.formats: dict[str, str] = {}
        self._passes = 0

    def __iter__(self) -> Iterator[LoggedQuestion]:
        first_pass = self._passes == 0
        row = 0
        for path in self.paths:
            log_format = self._format_for(path)
            self.formats[str(path)] = log_format.name
            for line, text, asked_at, problem in _records(path, log_format):
                if problem:
                    if first_pass:
                        self._report(KbgenError(str(path), problem, line, severity="warning"))
                    continue
                yield LoggedQuestion(row=row, text=text, source=str(path), line=line, asked_at=asked_at)
                row += 1
        self._passes += 1

    def _report(self, problem: KbgenError) -> None:
        self.skipped += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(problem)
        log.warning("%s", problem.format())

    def _format_for(self, path: Path) -> LogFormat:
        name = self.log_format if self.log_format != "auto" else detect_format(path)
        presets = {
            "zendesk": LogFormat("zendesk", ZENDESK_TEXT, ZENDESK_TIME, joined=True),
            "freshdesk": LogFormat("freshdesk", FRESHDESK_TEXT, FRESHDESK_TIME, joined=True),
        }
        chosen = presets.get(name, LogFormat(name, TEXT_COLUMNS, TIME_COLUMNS))
        return LogFormat(
            chosen.name,
            (self.text_column,) if self.text_column else chosen.text_fields,
            (self.time_column,) if self.time_column else chosen.time_fields,
            delimiter="\t" if _plain_suffix(path) == ".tsv" else ",",
            joined=chosen.joined and not self.text_column,
            explicit=bool(self.text_column or self.time_column),
        )


def read_questions(paths: Iterable[Path | str], **options: Any) -> Iterator[LoggedQuestion]:
    """Every question of ``paths`` in input order (see QuestionReader for the options)."""
    return iter(QuestionReader(paths, **options))


def _plain_suffix(path: Path) -> str:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def open_log(path: Path) -> TextIO:
    """Open a log as UTF-8 text (gzip when it ends in .gz). Raises KbgenError if it cannot be opened."""
    try:
        if path.suffix.lower() == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - the caller closes it
    except IsADirectoryError:
        raise KbgenError(str(path), "is a directory, not a log file", hint="pass the log files themselves") from None
    except FileNotFoundError:
        raise KbgenError(str(path), "log file not found", hint="check the path") from None
    except OSError as error:
        raise KbgenError(str(path), f"cannot read log file: {error.strerror or error}") from None


def detect_format(path: Path) -> str:
    """Guess a log's format from its name and first line."""
    suffix = _plain_suffix(path)
    if suffix == ".txt":
        return "text"
    first = _first_line(path)
    if suffix in (".csv", ".tsv"):
        header = {cell.strip().lower() for cell in next(csv.reader([first], delimiter="\t" if suffix == ".tsv" else ","), [])}
        return "freshdesk" if {"ticket id", "subject"} <= header else "csv"
    stripped = first.lstrip()
    if looks_like_events(first):
        return "events"
    if suffix in (".json", ".jsonl", ".ndjson") or stripped.startswith(("{", "[")):
        if stripped.startswith("[") or '"tickets"' in first or ('"subject"' in first and '"created_at"' in first):
            return "zendesk"
        if stripped.startswith("{") and suffix == ".json" and not _is_json(first):
            return "zendesk"  # a pretty-printed API response
        return "jsonl"
    if "," in first and not first.rstrip().endswith("?"):
        return "csv"
    return "text"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _first_line(path: Path) -> str:
    with open_log(path) as stream:
        try:
            for line in stream:
                if line.strip():
                    return line
        except UnicodeDecodeError:
            raise KbgenError(str(path), "log file is not valid UTF-8", hint="export it again as UTF-8") from None
        except _DAMAGED_GZIP as error:
            raise _damaged_gzip(path, error, 0) from None
    return ""


def _damaged_gzip(path: Path, error: Exception, last_line: int) -> KbgenError:
    """A located error for a gzip log that cannot be read to its end (``last_line`` read well)."""
    where = f" after line {last_line}" if last_line else ""
    if isinstance(error, gzip.BadGzipFile) and "Not a gzipped file" in str(error):
        return KbgenError(str(path), "the file ends in .gz but is not gzip-compressed", hint="rename it without .gz if it is plain text")
    if isinstance(error, EOFError):
        return KbgenError(str(path), f"the gzip file is truncated{where}", last_line + 1, hint="copy or download it again")
    return KbgenError(str(path), f"the gzip file is damaged{where} ({error})", last_line + 1, hint="copy or download it again")


Record = tuple[int, str, datetime | None, str]  # line, text, time, problem ("" when the row is good)


def _records(path: Path, log_format: LogFormat) -> Iterator[Record]:
    readers = {"csv": _csv_records, "freshdesk": _csv_records, "jsonl": _jsonl_records, "text": _text_records, "zendesk": _zendesk_records, "events": _event_records}
    last_line = 0  # decoding runs ahead in blocks, so a damaged byte is only known to lie after this line
    with open_log(path) as stream:
        try:
            for record in readers[log_format.name](stream, path, log_format):
                last_line = record[0]
                yield record
        except UnicodeDecodeError as error:
            where = f" after line {last_line}" if last_line else ""
            raise KbgenError(str(path), f"log file is not valid UTF-8{where} ({error.reason})", last_line + 1, hint="export it again as UTF-8") from None
        except _DAMAGED_GZIP as error:
            raise _damaged_gzip(path, error, last_line) from None


def _text_records(stream: TextIO, path: Path, log_format: LogFormat) -> Iterator[Record]:
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if text:
            yield number, text, None, ""


def _csv_records(stream: TextIO, path: Path, log_format: LogFormat) -> Iterator[Record]:
    csv.field_size_limit(MAX_FIELD_CHARACTERS)
    reader = csv.reader(stream, delimiter=log_format.delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise KbgenError(str(path), f"cannot read the CSV header: {error}") from None
    names = [cell.strip().lower() for cell in header]
    text_indexes = _columns(names, log_format.text_fields, log_format, path, "text")
    time_indexes = _columns(names, log_format.time_fields, log_format, path, "time")
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, "", None, f"unreadable CSV row ({error})"
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield start, "", None, f"expected {len(names)} fields, found {len(row)} (check the quotes on this row)"
            continue
        yield _record(start, [row[index] for index in text_indexes], [row[index] for index in time_indexes])


def _columns(names: list[str], wanted: tuple[str, ...], log_format: LogFormat, path: Path, what: str) -> list[int]:
    """Indexes of the columns holding the text (or the time) of a question."""
    found = [names.index(name.lower()) for name in wanted if name.lower() in names]
    if found:
        return found if (what == "text" and log_format.joined) else found[:1]
    if log_format.explicit and len(wanted) == 1:  # a column the user named
        raise KbgenError(str(path), f"no column named {wanted[0]!r}", hint=f"the columns are: {', '.join(names)}")
    if what == "text":
        if len(names) == 1:
            return [0]
        listed = ", ".join(repr(name) for name in names)
        raise KbgenError(str(path), f"no question column found among {listed}", hint="name it with --text-column")
    return []


def _record(line: int, texts: list[Any], times: list[Any]) -> Record:
    parts = [_UNWRITABLE.sub(" ", str(text)).strip() for text in texts if isinstance(text, (str, int, float)) and str(text).strip()]
    if not parts:
        return line, "", None, "no question text on this row"
    asked_at = None
    if times and times[0] not in (None, ""):
        asked_at = parse_time(times[0])
        if asked_at is None:
            log.debug("line %d: unreadable time %r, question kept without it", line, times[0])
    return line, "\n".join(parts), asked_at, ""


def _pick(mapping: dict[str, Any], wanted: tuple[str, ...], joined: bool) -> list[Any]:
    lowered = {str(key).lower(): value for key, value in mapping.items()}
    values = [lowered[name.lower()] for name in wanted if name.lower() in lowered]
    return values if joined else values[:1]


def _object_record(line: int, item: Any, log_format: LogFormat) -> Record:
    if isinstance(item, str):
        return _record(line, [item], [])
    if not isinstance(item, dict):
        return line, "", None, f"expected a JSON object, found {type(item).__name__}"
    texts = _pick(item, log_format.text_fields, log_format.joined)
    if not texts:
        return line, "", None, f"no {' or '.join(repr(name) for name in log_format.text_fields[:4])} key in this record"
    return _record(line, texts, _pick(item, log_format.time_fields, False))


def _jsonl_records(stream: TextIO, path: Path, log_format: LogFormat, start: int = 1) -> Iterator[Record]:
    for number, line in enumerate(stream, start=start):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            yield number, "", None, f"invalid JSON ({error.args[0].split(':')[0]})"
            continue
        except RecursionError:
            yield number, "", None, "invalid JSON (nested too deep to read)"
            continue
        yield _object_record(number, item, log_format)


def _zendesk_records(stream: TextIO, path: Path, log_format: LogFormat) -> Iterator[Record]:
    """A Zendesk export: newline-delimited tickets, or an API response ``{"tickets": [...]}`` / a list."""
    first = stream.readline()
    rest_is_lines = _is_json(first) and not first.lstrip().startswith("[") and '"tickets"' not in first
    if rest_is_lines:
        yield _object_record(1, json.loads(first), log_format)
        yield from _jsonl_records(stream, path, log_format, start=2)
        return
    yield from _json_array_records(first + stream.read(), path, log_format)


def _json_array_records(text: str, path: Path, log_format: LogFormat) -> Iterator[Record]:
    """Tickets of one JSON document, each with the line where it starts."""
    match = re.search(r'"tickets"\s*:\s*\[', text) or re.match(r"\s*\[", text)
    if match is None:
        raise KbgenError(str(path), "not a Zendesk tickets export", hint="expected one ticket per line or a 'tickets' list")
    decoder = json.JSONDecoder()
    position, line, counted = match.end(), 1, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise KbgenError(str(path), "the tickets list is never closed", text.count("\n") + 1, hint="the export is cut short; export it again")
        if text[position] == "]":
            return
        line += text.count("\n", counted, position)
        counted = position
        try:
            item, position = decoder.raw_decode(text, position)
        except ValueError as error:
            raise KbgenError(str(path), f"invalid JSON in the tickets list ({error.args[0].split(':')[0]})", line) from None
        except RecursionError:
            raise KbgenError(str(path), "a ticket's JSON nests too deep to read", line, hint="tickets nest a few levels; export them again") from None
        yield _object_record(line, item, log_format)


def _event_records(stream: TextIO, path: Path, log_format: LogFormat) -> Iterator[Record]:
    """The site's events (kbgen.events): each search that found nothing is a question; votes and answers are not."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            event = parse_event_line(line)
        except EventError as error:
            yield number, "", None, f"not a kbgen event: {error}"
            continue
        if event.type == "search":
            yield _record(number, [event.query], [event.at] if event.at else [])


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d %b %Y", "%a, %d %b %Y %H:%M:%S %z")


def parse_time(value: Any) -> datetime | None:
    """A timestamp as naive UTC: ISO 8601, common export formats, or Unix seconds/milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{9,13}(\.\d+)?", value.strip())):
        seconds = float(value)
        if seconds > 1e11:
            seconds /= 1000
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    parsed = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for pattern in _TIME_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
