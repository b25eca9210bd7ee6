"""Hostile exports and logs: every importer and log reader fails with a located KbgenError, never a traceback."""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from kbgen.community.discourse import read_discourse
from kbgen.community.github import read_github_discussions
from kbgen.community.html import MAX_HTML_DEPTH, html_to_markdown, limit_nesting, markdown_to_markdown
from kbgen.community.records import read_json
from kbgen.community.stackexchange import read_stackexchange
from kbgen.community.store import import_threads
from kbgen.errors import KbgenError
from kbgen.mine.readers import QuestionReader
from kbgen.model import Thread

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "community"
SITE = "https://forum.example.com"
QUESTION = '<row Id="{id}" PostTypeId="1" CreationDate="2015-01-27T20:13:58.610" Score="2" Body="{body}" OwnerUserId="8" Title="Question {id}" Tags="&lt;grind&gt;" />\n'
ANSWER = '<row Id="{id}" PostTypeId="2" ParentId="{parent}" CreationDate="2015-01-28T10:00:00.000" Score="1" Body="&lt;p&gt;An answer.&lt;/p&gt;" OwnerUserId="9" />\n'
DEEP = 100_000


def write_posts(folder: Path, *rows: str) -> Path:
    """A Posts.xml holding ``rows``; the first row is on line 3."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Posts.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "".join(rows) + "</posts>\n", encoding="utf-8")
    return folder


def import_error(reader: Callable[..., object], source: Path) -> KbgenError:
    with pytest.raises(KbgenError) as caught:
        list(reader(source, SITE))  # type: ignore[call-overload]
    return caught.value


def discourse_topic() -> dict:
    return json.loads((FIXTURES / "discourse" / "t_2144_solved_topic.json").read_text(encoding="utf-8"))


def write_json_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# Stack Exchange


def test_stackexchange_id_beyond_64_bits_is_an_error_at_its_row(tmp_path: Path) -> None:
    huge = "1" * 23
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=1, body="x"), QUESTION.format(id=huge, body="x"))
    error = import_error(read_stackexchange, dump)
    assert (error.path, error.line) == (str(dump / "Posts.xml"), 4)
    assert error.message == f"row Id={huge}: Id {huge} is too large for an id or a count"
    assert error.hint == "numbers in a data dump are at most 9223372036854775807"


def test_stackexchange_thousands_of_digits_are_reported_shortened(tmp_path: Path) -> None:
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=1, body="x"), ANSWER.format(id=2, parent="9" * 5000))
    error = import_error(read_stackexchange, dump)
    assert error.line == 4
    assert error.message == f"row Id=2: ParentId {'9' * 40}… is too large for an id or a count"


def test_stackexchange_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=1, body="x"), ANSWER.format(id=2, parent=1), QUESTION.format(id=1, body="y"))
    error = import_error(read_stackexchange, dump)
    assert (error.path, error.line) == (str(dump / "Posts.xml"), 5)
    assert error.message == "row Id=1: a second post with this Id (the first is on line 3)"
    assert error.hint == "each post appears once in a data dump: extract the dump again"


@pytest.mark.parametrize("value", ["0", "-5"])
def test_stackexchange_ids_must_be_positive(tmp_path: Path, value: str) -> None:
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=value, body="x"))
    error = import_error(read_stackexchange, dump)
    assert (error.line, error.message) == (3, f"row Id={value}: Id must be a positive id, not {int(value)}")


def test_stackexchange_xml_broken_at_a_line_names_it(tmp_path: Path) -> None:
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=1, body="x"), '<row Id="2" <<\n')
    error = import_error(read_stackexchange, dump)
    assert (error.line, error.message) == (4, "the XML is not well-formed: not well-formed (invalid token)")


def test_stackexchange_empty_posts_file_is_reported_as_truncated(tmp_path: Path) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "Posts.xml").write_text("", encoding="utf-8")
    assert "the XML ends too early" in import_error(read_stackexchange, tmp_path / "dump").message


def test_stackexchange_post_nested_20000_deep_imports_with_its_text(tmp_path: Path) -> None:
    body = "&lt;div&gt;" * 20_000 + "&lt;p&gt;deep words&lt;/p&gt;" + "&lt;/div&gt;" * 20_000
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=1, body=body), ANSWER.format(id=2, parent=1))
    [thread] = list(read_stackexchange(dump, SITE))
    assert isinstance(thread, Thread)
    assert thread.body == "deep words\n"


# Forum HTML and Markdown


def test_limit_nesting_drops_only_the_tags_below_the_limit_and_keeps_their_text() -> None:
    assert limit_nesting("<div>" * 4 + "x" + "</div>" * 4 + "<p>y</p>", 2) == "<div><div>x</div></div><p>y</p>"
    shallow = "<p>one</p><p>two<br>three</p>" * 50
    assert limit_nesting(shallow, 2) == shallow


def test_limit_nesting_reads_unclosed_paragraphs_as_siblings() -> None:
    assert limit_nesting("<p>one<p>two<p>three", 2) == "<p>one<p>two<p>three"


def test_limit_nesting_follows_end_tags_that_close_several_elements() -> None:
    assert limit_nesting("<div><b><i>a</div><div><b>b</b></div>", 2) == "<div><b>a</div><div><b>b</b></div>"


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 200_000 + "words",  # the sanitizer alone would take minutes
        "<div></span>" * 20_000 + "words",  # end tags of nothing open do not hide the depth
        "<ul><li>" * 20_000 + "words",
        '<a title="x' * 50_000 + "words",  # unclosed tags and quotes cost no more than a linear scan
    ],
)
def test_hostile_nesting_converts_quickly_to_bounded_markdown(html: str) -> None:
    markdown = html_to_markdown(html)
    assert markdown.count("- ") <= MAX_HTML_DEPTH
    assert "words" in markdown or html.startswith("<a")


def test_markdown_lists_nested_300_deep_become_flat_escaped_lines() -> None:
    text = "".join("    " * level + f"- item {level} <b>\n" for level in range(300))
    markdown = markdown_to_markdown(text)
    assert markdown.splitlines()[:2] == ["- item 0 &lt;b>", "- item 1 &lt;b>"]


# Discourse and GitHub JSON


@pytest.mark.parametrize("reader", [read_discourse, read_github_discussions])
def test_json_nested_100000_deep_is_a_located_error(tmp_path: Path, reader: Callable[..., object]) -> None:
    export = write_json_text(tmp_path / "export.json", '{"a": ' * 3 + "\n" + "[" * DEEP + "]" * DEEP + "}" * 3)
    error = import_error(reader, export)
    assert (error.path, error.line) == (str(export), 2)
    assert error.message == f"the JSON nests {DEEP + 3} levels deep, more than Python's parser can read"


def test_discourse_number_of_5000_digits_is_invalid_for_its_record(tmp_path: Path) -> None:
    text = json.dumps(discourse_topic()).replace('"id": 2144', '"id": ' + "9" * 5000, 1)
    error = import_error(read_discourse, write_json_text(tmp_path / "topic.json", text))
    assert error.message == "topic: field 'id' is a number of 5000 digits, larger than any id or count"


def test_github_discussion_number_beyond_64_bits_is_invalid_for_its_record(tmp_path: Path) -> None:
    text = (FIXTURES / "github" / "discussions_response.json").read_text(encoding="utf-8")
    text = re.sub(r'"number": \d+', '"number": 99999999999999999999', text, count=1)
    error = import_error(read_github_discussions, write_json_text(tmp_path / "discussions.json", text))
    assert error.message.endswith("field 'number' is a number of 20 digits, larger than any id or count")
    assert error.message.startswith("data.repository.discussions.")


def test_lone_surrogates_in_discourse_json_become_replacement_characters_and_the_thread_is_written(tmp_path: Path) -> None:
    topic = discourse_topic()
    topic["title"] = "Lone \ud800 surrogate"
    topic["post_stream"]["posts"][1]["cooked"] = "<p>half \udc00 a pair</p>"
    export = tmp_path / "topic.json"
    export.write_text(json.dumps(topic), encoding="utf-8")  # ensure_ascii: the escapes "\ud800" and "\udc00"
    report = import_threads(read_discourse(export, SITE), tmp_path / "community")
    assert report.added == 1
    [written] = (tmp_path / "community").rglob("*.md")
    text = written.read_text(encoding="utf-8")
    assert "title: Lone \ufffd surrogate" in text
    assert "half \ufffd a pair" in text


def test_escaped_surrogate_pairs_stay_one_character(tmp_path: Path) -> None:
    export = write_json_text(tmp_path / "pair.json", '{"title": "coffee \\ud83d\\ude00"}')
    assert read_json(export) == {"title": "coffee \U0001f600"}


@pytest.mark.parametrize(("reader", "where"), [(read_discourse, "topic 1"), (read_github_discussions, "discussion 1")])
def test_a_json_list_of_non_objects_names_the_record(tmp_path: Path, reader: Callable[..., object], where: str) -> None:
    error = import_error(reader, write_json_text(tmp_path / "list.json", '[1, "two"]'))
    assert error.message == f"{where} must be a JSON object, not int"


# Question logs


def questions(*paths: Path, **options: str) -> list[str]:
    return [question.text for question in QuestionReader(paths, **options)]


def csv_log(count: int) -> bytes:
    return b"question,created_at\n" + b"".join(b"how do I reset my password %d?,2024-01-01\n" % number for number in range(count))


def read_error(path: Path, **options: str) -> KbgenError:
    with pytest.raises(KbgenError) as caught:
        questions(path, **options)
    return caught.value


def test_truncated_gzip_log_names_the_file_and_the_line_reached(tmp_path: Path) -> None:
    compressed = gzip.compress(csv_log(3000))
    log = tmp_path / "log.csv.gz"
    log.write_bytes(compressed[: len(compressed) // 2])
    error = read_error(log)
    assert error.path == str(log)
    assert error.message.startswith("the gzip file is truncated after line ")
    reached = int(error.message.rsplit(" ", 1)[1])
    assert 1000 < reached < 3001 and error.line == reached + 1
    assert error.hint == "copy or download it again"


def test_corrupt_gzip_log_is_a_located_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    damaged = bytearray(gzip.compress(csv_log(3000)))
    damaged[len(damaged) // 2 : len(damaged) // 2 + 50] = bytes(50)
    log = tmp_path / "log.csv.gz"
    log.write_bytes(bytes(damaged))
    with caplog.at_level(logging.ERROR):
        error = read_error(log)
    assert error.path == str(log)
    assert error.message.startswith("the gzip file is damaged after line ")


def test_a_gz_log_that_is_not_gzip_says_so(tmp_path: Path) -> None:
    log = tmp_path / "log.csv.gz"
    log.write_bytes(b"question\nhello?\n")
    error = read_error(log)
    assert (error.message, error.hint) == ("the file ends in .gz but is not gzip-compressed", "rename it without .gz if it is plain text")
    assert read_error(log, log_format="csv").message == error.message


def test_log_that_stops_being_utf8_names_the_line_reached(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(csv_log(5000) + "café?\n".encode("latin-1"))
    error = read_error(log)
    assert error.message.startswith("log file is not valid UTF-8 after line ")
    assert error.line > 1


def test_jsonl_line_nested_100000_deep_is_a_skipped_row(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text('{"question": "first?"}\n{"question": ' + "[" * DEEP + "]" * DEEP + '}\n{"question": "third?"}\n', encoding="utf-8")
    reader = QuestionReader([log])
    assert [question.text for question in reader] == ["first?", "third?"]
    assert [(problem.line, problem.message) for problem in reader.problems] == [(2, "invalid JSON (nested too deep to read)")]


def test_jsonl_number_of_5000_digits_is_a_skipped_row(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text('{"question": "first?", "n": ' + "9" * 5000 + '}\n{"question": "second?"}\n', encoding="utf-8")
    reader = QuestionReader([log])
    assert [question.text for question in reader] == ["second?"]
    assert reader.problems[0].line == 1


def test_zendesk_ticket_nested_too_deep_is_a_located_error(tmp_path: Path) -> None:
    log = tmp_path / "tickets.json"
    log.write_text('{"tickets": [\n{"subject": "a", "description": "b"},\n' + "[" * DEEP + "]" * DEEP + "]}", encoding="utf-8")
    error = read_error(log)
    assert (error.line, error.message) == (3, "a ticket's JSON nests too deep to read")


def test_nul_bytes_and_lone_surrogates_in_questions_become_spaces(tmp_path: Path) -> None:
    csv_file = tmp_path / "log.csv"
    csv_file.write_bytes(b"question\nhow\x00do I pay?\n")
    jsonl_file = tmp_path / "log.jsonl"
    jsonl_file.write_text('{"question": "half \\ud800 pair?"}\n', encoding="utf-8")
    assert questions(csv_file, jsonl_file) == ["how do I pay?", "half   pair?"]


def test_enormous_csv_field_is_a_skipped_row(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(b'question\n"' + b"a" * 2_000_000 + b'"\nok?\n')
    reader = QuestionReader([log])
    list(reader)
    assert (reader.problems[0].line, reader.problems[0].message) == (2, "unreadable CSV row (field larger than field limit (1000000))")


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.txt", "empty.csv.gz"])
def test_empty_logs_hold_no_questions(tmp_path: Path, name: str) -> None:
    log = tmp_path / name
    log.write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    assert questions(log) == []


# Through the CLI: exit status 1, one located line on stderr, no traceback


def test_import_cli_reports_duplicate_ids_without_a_traceback(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    dump = write_posts(tmp_path / "dump", QUESTION.format(id=7, body="x"), QUESTION.format(id=7, body="y"))
    result = run_cli("import", "stackexchange", dump, "--site-url", SITE, "--into", tmp_path / "community")
    assert result.exit_code == 1
    assert result.stderr == f"{dump / 'Posts.xml'}:4:1: error: row Id=7: a second post with this Id (the first is on line 3); each post appears once in a data dump: extract the dump again\n"
    assert not any((tmp_path / "community").rglob("*.md")) if (tmp_path / "community").exists() else True


def test_import_cli_reports_deep_json_without_a_traceback(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    export = write_json_text(tmp_path / "topic.json", "[" * DEEP + "]" * DEEP)
    result = run_cli("import", "discourse", export, "--site-url", SITE, "--into", tmp_path / "community")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{export}:1:1: error: the JSON nests {DEEP} levels deep")


def test_mine_cli_reports_a_truncated_gzip_log_by_name_not_aborted(tmp_path: Path, write_tree: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    content = write_tree({})
    compressed = gzip.compress(csv_log(3000))
    log = tmp_path / "log.csv.gz"
    log.write_bytes(compressed[: len(compressed) // 2])
    result = run_cli("mine", log, "--content-dir", content, "--no-drafts", "--report", tmp_path / "report.html")
    assert result.exit_code == 1
    assert "Aborted" not in result.stderr
    assert f"{log}:" in result.stderr and "error: the gzip file is truncated after line " in result.stderr
