"""Readers of question logs: every format on small real-format fixtures, bad rows skipped with file:line."""

from __future__ import annotations

import gzip
import logging
from datetime import datetime
from pathlib import Path

import pytest

from kbgen.errors import KbgenError
from kbgen.mine.readers import QuestionReader, detect_format, parse_time

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mine"


def read(name: str, **options: object) -> tuple[QuestionReader, list]:
    reader = QuestionReader([FIXTURES / name], **options)
    return reader, list(reader)


def test_csv_reader_keeps_multiline_quoted_fields_and_skips_broken_rows(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        reader, questions = read("brightbill_questions.csv")
    assert len(questions) == 44
    assert [question.row for question in questions] == list(range(44))
    second = questions[1]
    assert second.line == 3 and second.text.startswith("Hi team,\n\nHow do I reset my password?")
    assert second.asked_at == datetime(2026, 3, 9, 11, 2)
    assert questions[2].line == 10  # the multi-line field spanned lines 3-9
    assert reader.skipped == 2
    messages = [problem.format() for problem in reader.problems]
    assert messages[0].startswith(f"{FIXTURES / 'brightbill_questions.csv'}:55:1: warning: expected 3 fields, found 8")
    assert "no question text" in messages[1] and ":56:" in messages[1]
    assert "expected 3 fields" in caplog.text


def test_csv_reader_uses_the_named_text_column_or_says_which_columns_exist(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("id,asked,when\n1,How do I export?,2026-01-02\n", encoding="utf-8")
    questions = list(QuestionReader([log], text_column="asked", time_column="when"))
    assert questions[0].text == "How do I export?" and questions[0].asked_at == datetime(2026, 1, 2)
    with pytest.raises(KbgenError) as error:
        list(QuestionReader([log], text_column="question_text"))
    assert "no column named 'question_text'" in error.value.message and "id, asked, when" in error.value.hint
    with pytest.raises(KbgenError) as error:
        list(QuestionReader([log]))
    assert "no question column found" in error.value.message and error.value.hint == "name it with --text-column"


def test_jsonl_reader_reports_invalid_lines_and_keeps_questions_with_unreadable_times() -> None:
    reader, questions = read("questions.jsonl")
    assert [(question.line, question.text) for question in questions] == [
        (1, "How do I reset my password?"),
        (2, "Where can I download my invoices?"),
        (7, "Can I pay by bank transfer?"),
    ]
    assert questions[1].asked_at == datetime(2026, 5, 1, 10, 0)  # Unix seconds
    assert questions[2].asked_at is None
    assert [problem.line for problem in reader.problems] == [3, 4, 6]
    assert "invalid JSON" in reader.problems[0].message


def test_text_reader_takes_one_question_per_non_blank_line() -> None:
    _, questions = read("questions.txt")
    assert [(question.line, question.text) for question in questions] == [
        (1, "How do I reset my password?"),
        (3, "Where can I download my invoices?"),
        (4, "Can I pay by bank transfer?"),
    ]


def test_zendesk_api_page_joins_subject_and_description_with_the_ticket_line() -> None:
    reader, questions = read("zendesk_tickets.json")
    assert reader.formats[str(FIXTURES / "zendesk_tickets.json")] == "zendesk"
    assert [question.line for question in questions] == [3, 12]
    assert questions[0].text.startswith("Password reset e-mail never arrives\nHi,")
    assert questions[0].asked_at == datetime(2026, 4, 20, 9, 12, 44)
    assert reader.skipped == 1 and reader.problems[0].line == 19


def test_zendesk_newline_delimited_export_skips_a_truncated_ticket() -> None:
    reader, questions = read("zendesk_export.jsonl", log_format="zendesk")
    assert [question.text for question in questions] == ["Can't log in\nIt says my password is wrong.", "Refund\nCan I get my money back? Call +1 415 555 0100."]
    assert reader.problems[0].line == 3


def test_freshdesk_export_is_detected_and_reads_subject_description_and_created_time() -> None:
    reader, questions = read("freshdesk_tickets.csv")
    assert reader.formats[str(FIXTURES / "freshdesk_tickets.csv")] == "freshdesk"
    assert [question.line for question in questions] == [2, 3, 5]
    assert questions[0].text.startswith("How do I add VAT?\n<p>Hello,</p>")
    assert questions[0].asked_at == datetime(2026, 4, 2, 10, 21, 33)
    assert questions[2].asked_at is None  # "not a date": kept without a time
    assert reader.problems[0].line == 4 and "expected 13 fields, found 4" in reader.problems[0].message


def test_reading_twice_gives_the_same_rows_and_reports_problems_once() -> None:
    reader = QuestionReader([FIXTURES / "questions.jsonl", FIXTURES / "questions.txt"])
    first, second = list(reader), list(reader)
    assert first == second
    assert [question.row for question in first] == list(range(6))
    assert reader.skipped == 3


def test_gzipped_logs_are_read_by_their_inner_format(tmp_path: Path) -> None:
    log = tmp_path / "log.txt.gz"
    with gzip.open(log, "wt", encoding="utf-8") as stream:
        stream.write("first question\nsecond question\n")
    assert detect_format(log) == "text"
    assert [question.text for question in QuestionReader([log])] == ["first question", "second question"]


def test_a_missing_or_undecodable_log_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KbgenError) as error:
        list(QuestionReader([tmp_path / "absent.csv"]))
    assert error.value.message == "log file not found"
    binary = tmp_path / "log.txt"
    binary.write_bytes(b"fine line\n\xff\xfe broken\n")
    with pytest.raises(KbgenError) as error:
        list(QuestionReader([binary]))
    assert "not valid UTF-8" in error.value.message and error.value.path == str(binary)
    with pytest.raises(KbgenError) as error:
        list(QuestionReader([tmp_path]))
    assert "is a directory" in error.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-04-02 10:21:33", datetime(2026, 4, 2, 10, 21, 33)),
        ("2026-04-02T10:21:33+02:00", datetime(2026, 4, 2, 8, 21, 33)),
        ("2026-04-02", datetime(2026, 4, 2)),
        (1777629600000, datetime(2026, 5, 1, 10, 0)),
        ("soon", None),
        (True, None),
    ],
)
def test_parse_time_reads_export_formats_as_naive_utc(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected
