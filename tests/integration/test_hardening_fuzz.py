"""Property-based hardening: generated front matter, exports and logs thrown at check, build, import and mine.

Hypothesis writes files the way a careless writer, a broken export or an attacker would: YAML with
anchors, aliases, deep nesting, tabs, unclosed brackets, escapes of lone surrogates, control
characters, a byte-order mark, CRLF line ends, invalid UTF-8, huge values; XML, JSON and CSV with
huge or duplicate ids, deep nesting, broken syntax and hostile HTML. Whatever comes in:

- the command ends with exit status 0 (done) or 1 (content error), never with an exception;
- every problem it prints names a file that exists, with a line number inside that file;
- a failed run leaves nothing half-written: the previous site or content is untouched, and no
  staging folder stays behind.

``CASES`` counts the generated inputs per target; the last test prints them.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbgen.cli import main

pytestmark = pytest.mark.slow

CASES: Counter[str] = Counter()
def fuzz(examples: int) -> settings:
    """Deterministic (the same cases on every run, so CI is repeatable), no deadline, no example database."""
    return settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?:error|warning): \S")
CATEGORIES = "billing:\n  title: Plans & billing\nsetup:\n  title: Getting started\n"
KEYS = ("title", "questions", "tags", "asked", "status", "updated", "summary", "related", "author", "date", "answers", "solved", "votes", "comments", "source", "bogus")

# -- generators ----------------------------------------------------------------------------------

NASTY_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["<", ">", "&", "\"", "'", ": ", "#", "[", "]", "{", "}", "*", "&a ", "*a", "\x00", "\x1b", "\u2028", "\ufeff", "\t", "\r", "\n", "---"]),
    ),
    max_size=40,
).map("".join)
HOSTILE_HTML = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;",
    "<a href='javascript:alert(1)'>x</a>", "<div>" * 300 + "deep", "<" * 2000, "<b>bold</b> and <i>it", "<pre><code>x = 1</code></pre>",
    "<table><tr><td>a</td></tr></table>", "<h1>Title</h1>", "<svg onload=alert(1)>", "plain words",
])
YAML_SCALARS = st.one_of(
    NASTY_TEXT.map(json.dumps),  # a double-quoted YAML string, escapes included
    NASTY_TEXT,  # the same text unquoted: often not YAML at all
    st.sampled_from([
        '"\\uD800"', '"\\udfff x"', "&a [*a]", "*a", "&x value", "[" * 60 + "]" * 60, "[" * 300, "{a: [b, {c: d}]", "!!python/object:os.system ls",
        "2026-13-45", "1" * 5000, "-1", "true", "null", "~", "'unclosed", '"unclosed', "|", ">-", "\t- tab", "- a\n- b", "{}", "[]", "x" * 70000,
        "[lol, lol]\nbomb: &b [*a, *a, *a, *a, *a, *a, *a, *a]",
    ]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def mostly(valid, hostile, one_in: int = 8):
    """Mostly ``valid``, sometimes ``hostile`` (about one time in ``one_in``; hypothesis favours the edge): a record that
    is mostly right reaches the deeper code."""
    return st.integers(0, one_in - 1).flatmap(lambda roll: hostile if roll == 0 else valid)


@st.composite
def front_matter_file(draw) -> bytes:
    """One Markdown file: front matter lines (mostly key: value), then a body; any encoding trouble."""
    lines = []
    if draw(st.booleans()):
        lines.append("title: " + draw(st.sampled_from(["Reset your password", "How do I export invoices?", "Billing"])))
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.sampled_from(KEYS), NASTY_TEXT))
        value = draw(YAML_SCALARS)
        indent = draw(st.sampled_from(["", "", "", "  ", "\t"]))
        lines.append(f"{indent}{key}: {value}")
    body = draw(st.one_of(NASTY_TEXT, HOSTILE_HTML, st.just(""), st.just("An answer with a [link](../setup/missing.md).")))
    opening = draw(st.sampled_from(["---\n", "---\n", "---\n", "\ufeff---\n", "---\r\n", "", "--- \n"]))
    closing = draw(st.sampled_from(["---\n", "---\n", "...\n", ""]))
    text = opening + "\n".join(lines) + "\n" + closing + body + "\n"
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 14)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + b"\xff\xfe\xc3" + data[cut:]  # not UTF-8
    return data


SAFE_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@st.composite
def valid_article(draw, index: int = 0) -> tuple[str, str]:
    """A well-formed article or thread whose values are odd but legal: what check accepts must build."""
    category = draw(st.sampled_from(["billing", "setup"]))
    title = f"{draw(st.one_of(SAFE_WORDS, HOSTILE_HTML))} {index}"  # two pages asked the same way are a (real) check error
    body = draw(st.one_of(SAFE_WORDS, HOSTILE_HTML)) + "\n"
    if draw(st.booleans()):
        data = {"title": title, "questions": [f"{title}?"], "tags": [draw(st.sampled_from(["a", "b-c", "émoji"]))], "summary": draw(SAFE_WORDS)}
        return f"faq/{category}/article-{index}.md", "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body
    answer = {"author": draw(SAFE_WORDS), "date": "2026-03-02", "body": draw(st.one_of(SAFE_WORDS, HOSTILE_HTML)), "accepted": True, "votes": draw(st.integers(-5, 5))}
    data = {"title": title, "author": draw(SAFE_WORDS), "date": "2026-03-01", "solved": True, "answers": [answer]}
    if draw(st.booleans()):
        answer["body"] = '<img src="https://x.example/a.png" alt="a"> ' + answer["body"]
    return f"community/{category}/thread-{index}.md", "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


# -- shared assertions -----------------------------------------------------------------------------


def run(*args: str):
    """``kbgen ARGS`` in-process; an exception escaping the command is a failure of the property."""
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kbgen {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}") from result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output, result.output
    return result


def assert_problems_are_located(output: str, root: Path) -> int:
    """Every ``path:line:col: level: message`` line names a file under ``root`` and a line inside it."""
    count = 0
    for line in output.splitlines():
        match = PROBLEM_LINE.match(line)
        if not match:
            continue
        count += 1
        path = Path(match["path"])
        path = path if path.is_absolute() or path.exists() else root / path
        assert path.exists(), f"problem names a file that does not exist: {line}"
        if path.is_file():
            lines = path.read_bytes().count(b"\n") + 1
            assert 1 <= int(match["line"]) <= max(lines, 1) + 1, f"line outside the file: {line}"
    return count


def no_staging_left(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith((".site.", ".kbgen-import-")))


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "faq/billing").mkdir(parents=True)
    (root / "community/billing").mkdir(parents=True)
    (root / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# -- check -----------------------------------------------------------------------------------------


@fuzz(200)
@given(files=st.lists(front_matter_file(), min_size=1, max_size=8))
def test_check_reports_every_generated_file_with_a_place_and_never_raises(tmp_path_factory, files):
    root = write_tree(tmp_path_factory.mktemp("check") / "content", {f"{'faq' if index % 2 else 'community'}/billing/file-{index}.md": data for index, data in enumerate(files)})
    CASES["check: front-matter files"] += len(files)
    result = run("check", root)
    CASES["check: problems reported, each with a place"] += assert_problems_are_located(result.output, Path.cwd())


# -- build -----------------------------------------------------------------------------------------


@fuzz(40)
@given(documents=st.lists(st.integers(0, 10**6), min_size=10, max_size=40).flatmap(lambda seeds: st.tuples(*[valid_article(index) for index in range(len(seeds))])), hostile=mostly(st.none(), front_matter_file(), one_in=3))
def test_build_of_generated_content_succeeds_or_fails_cleanly(tmp_path_factory, documents, hostile):
    project = tmp_path_factory.mktemp("build")
    files = {relative: text.encode("utf-8") for relative, text in documents}
    if hostile is not None:
        files["faq/billing/hostile.md"] = hostile
    content = write_tree(project / "content", files)
    CASES["build: generated files"] += len(files)
    config = project / "mkdocs.yml"
    config.write_text("site_name: Fuzz\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - kbgen\n", encoding="utf-8")
    previous = project / "site"
    previous.mkdir()
    (previous / "marker.txt").write_text("previous site", encoding="utf-8")
    checked = run("check", content)
    built = run("build", "-f", config)
    CASES[f"build: {'built' if built.exit_code == 0 else 'refused with a located error'}"] += 1
    assert no_staging_left(project) == []
    if checked.exit_code == 0:
        assert built.exit_code == 0, f"check passed but build failed:\n{built.output}"
        assert (previous / "index.html").is_file() and not (previous / "marker.txt").exists()
        for relative, _ in documents:
            assert (previous / Path(relative).with_suffix("") / "index.html").is_file(), relative
    else:
        assert built.exit_code == 1
        assert (previous / "marker.txt").read_text(encoding="utf-8") == "previous site", "a failed build keeps the previous site"


# -- import ----------------------------------------------------------------------------------------

XML_ATTRIBUTE_VALUES = mostly(
    st.integers(1, 40).map(str),
    st.sampled_from(["1" * 23, "99999999999999999999", "", "abc", "-1", "0", "1e5", "0x10", "1" * 4400]),
    one_in=12,
)


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@st.composite
def stackexchange_posts(draw) -> bytes:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        post_id = draw(XML_ATTRIBUTE_VALUES)
        kind = draw(mostly(st.sampled_from(["1", "2", "2"]), st.sampled_from(["3", "x", ""])))
        parent = draw(XML_ATTRIBUTE_VALUES)
        accepted = draw(st.one_of(st.just(""), XML_ATTRIBUTE_VALUES))
        body = draw(st.one_of(HOSTILE_HTML, NASTY_TEXT))
        title = draw(st.one_of(SAFE_WORDS, HOSTILE_HTML))
        date = draw(mostly(st.just("2015-03-01T10:00:00.000"), st.sampled_from(["not a date", "", "2015-02-30T00:00:00"])))
        attributes = f'Id="{post_id}" PostTypeId="{kind}" CreationDate="{date}" Score="{draw(XML_ATTRIBUTE_VALUES)}" Body="{xml_escape(body)}"'
        attributes += f' Title="{xml_escape(title)}" Tags="&lt;brewing&gt;&lt;{xml_escape(draw(SAFE_WORDS))}&gt;"' if kind == "1" else f' ParentId="{parent}"'
        if accepted:
            attributes += f' AcceptedAnswerId="{accepted}"'
        if draw(st.booleans()):
            attributes += f' OwnerUserId="{draw(XML_ATTRIBUTE_VALUES)}" OwnerDisplayName="{xml_escape(draw(SAFE_WORDS))}"'
        rows.append(f"  <row {attributes} />")
    text = '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "\n".join(rows) + "\n</posts>\n"
    damage = draw(st.integers(0, 14))
    if damage == 0:
        text = text[: draw(st.integers(0, len(text)))]  # truncated export
    elif damage == 1:
        text = text.replace("<posts>", '<!DOCTYPE posts [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><posts>')
    return text.encode("utf-8", "surrogatepass")


JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-(10**25), 10**25), NASTY_TEXT, HOSTILE_HTML)


@st.composite
def discourse_topic(draw) -> bytes:
    posts = []
    for number in range(1, draw(st.integers(0, 5)) + 1):
        post = {
            "id": draw(mostly(st.integers(1, 10**6), st.one_of(st.integers(-3, 10**22), NASTY_TEXT))),
            "topic_id": 7,
            "post_number": draw(mostly(st.just(number), st.sampled_from(["x", None, -1]))),
            "username": draw(mostly(SAFE_WORDS, JSON_LEAVES)),
            "created_at": draw(mostly(st.just("2024-01-02T03:04:05.000Z"), st.sampled_from(["yesterday", None, 5]))),
            "cooked": draw(mostly(st.one_of(HOSTILE_HTML, NASTY_TEXT), JSON_LEAVES)),
            "score": draw(mostly(st.integers(-5, 50), JSON_LEAVES)),
            "accepted_answer": draw(st.booleans()),
        }
        posts.append(post)
    topic = {"id": draw(mostly(st.just(7), st.one_of(st.integers(-3, 10**22), JSON_LEAVES))), "title": draw(mostly(SAFE_WORDS, JSON_LEAVES)), "slug": draw(NASTY_TEXT), "post_stream": {"posts": posts}, "tags": draw(st.lists(JSON_LEAVES, max_size=3))}
    text = json.dumps(topic, ensure_ascii=draw(st.booleans()))
    damage = draw(st.integers(0, 14))
    if damage == 0:
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == 1:
        text = "[" * 100_000 + "]" * 100_000
    elif damage == 2:
        text = text.replace('"title": ', '"title": "\\ud800", "x": ', 1)
    elif damage == 3:
        text = text.replace('"id": ', '"id": ' + "9" * 4400 + ', "y": ', 1)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def github_discussions(draw) -> bytes:
    """A GraphQL ``repository.discussions`` response: the shape of tests/fixtures/community/github."""
    nodes = []
    for _ in range(draw(st.integers(0, 4))):
        body = draw(st.one_of(HOSTILE_HTML, NASTY_TEXT, st.just("- a\n" + "  " * 300 + "- deep")))
        comments = [
            {"id": draw(NASTY_TEXT), "author": draw(st.one_of(st.none(), st.fixed_dictionaries({"login": SAFE_WORDS, "url": st.sampled_from(["https://github.com/u", "javascript:alert(1)", ""])}))),
             "createdAt": draw(mostly(st.just("2026-05-12T07:31:46Z"), st.sampled_from(["never", None]))), "body": draw(NASTY_TEXT), "bodyHTML": draw(HOSTILE_HTML),
             "upvoteCount": draw(mostly(st.integers(0, 9), JSON_LEAVES)), "isAnswer": draw(st.booleans()), "replies": {"nodes": []}}
            for _ in range(draw(st.integers(0, 3)))
        ]
        nodes.append({
            "id": draw(NASTY_TEXT), "number": draw(mostly(st.integers(1, 10**6), st.one_of(st.integers(-3, 10**22), JSON_LEAVES))), "title": draw(mostly(st.one_of(SAFE_WORDS, HOSTILE_HTML), JSON_LEAVES)),
            "url": draw(mostly(st.integers(1, 10**6).map(lambda number: f"https://github.com/o/r/discussions/{number}"), st.sampled_from(["javascript:alert(1)", "", None]))),
            "createdAt": draw(mostly(st.just("2026-05-12T07:31:46Z"), st.sampled_from(["2026-02-30T00:00:00Z", None]))),
            "author": draw(st.one_of(st.none(), st.fixed_dictionaries({"login": SAFE_WORDS}))),
            "category": {"name": draw(SAFE_WORDS)}, "labels": {"nodes": [{"name": draw(mostly(SAFE_WORDS, JSON_LEAVES))}]},
            "upvoteCount": draw(mostly(st.integers(0, 9), JSON_LEAVES)), "body": body, "bodyHTML": draw(HOSTILE_HTML), "comments": {"nodes": comments},
        })
    response = {"data": {"repository": {"nameWithOwner": "o/r", "url": "https://github.com/o/r", "discussions": {"nodes": nodes}}}}
    text = json.dumps(response)
    if draw(st.integers(0, 14)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8")


def assert_import_is_clean(project: Path, forum: str, source: Path) -> None:
    community = project / "content/community"
    before = {path: path.read_bytes() for path in community.rglob("*") if path.is_file()} if community.exists() else {}
    result = run("import", forum, source, "--into", community, "--category", "billing", "--include-unanswered", "--site-url", "https://forum.example.com")
    CASES[f"import {forum}: {'imported' if result.exit_code == 0 else 'refused with a located error'}"] += 1
    assert no_staging_left(community.parent) == [] and (not community.exists() or no_staging_left(community) == [])
    if result.exit_code == 1:
        assert str(source.name) in result.output or "Posts.xml" in result.output, f"the error names the export:\n{result.output}"
        after = {path: path.read_bytes() for path in community.rglob("*") if path.is_file()} if community.exists() else {}
        assert after == before, "a failed import changes nothing"
    else:
        checked = run("check", project / "content")
        assert checked.exit_code == 0, f"import left a project that fails check:\n{checked.output}"


# forum -> (generator, where the importer finds the export in a project, how many cases)
EXPORTS = {
    "stackexchange": (stackexchange_posts(), "dump/Posts.xml", 250),
    "discourse": (discourse_topic(), "topic.json", 250),
    "github-discussions": (github_discussions(), "discussions.json", 200),
}


@pytest.mark.parametrize("forum", sorted(EXPORTS))
def test_import_of_generated_exports_never_raises(tmp_path_factory, forum):
    strategy, relative, examples = EXPORTS[forum]

    @fuzz(examples)
    @given(export=strategy)
    def imports(export: bytes) -> None:
        project = tmp_path_factory.mktemp(forum)
        write_tree(project / "content", {})
        source = project / relative
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(export)
        CASES[f"import: {forum} exports"] += 1
        assert_import_is_clean(project, forum, source.parent if forum == "stackexchange" else source)

    imports()


# -- mine ------------------------------------------------------------------------------------------


@st.composite
def question_log(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["txt", "csv", "jsonl", "json"]))
    questions = draw(st.lists(st.one_of(SAFE_WORDS, HOSTILE_HTML, NASTY_TEXT, st.sampled_from(["How do I reset my password?", "how can i reset my password", "reset password please"])), max_size=25))
    if kind == "txt":
        text = "\n".join(question.replace("\n", " ") for question in questions)
    elif kind == "csv":
        text = "question,created_at\n" + "\n".join(json.dumps(question) + "," + draw(st.sampled_from(["2026-01-01", "", "not a date", "2026-99-99"])) for question in questions)
    elif kind == "jsonl":
        text = "\n".join(json.dumps({"question": question, "created_at": draw(JSON_LEAVES)}) if draw(st.integers(0, 9)) else draw(NASTY_TEXT) for question in questions)
    else:
        text = json.dumps([{"subject": question, "description": draw(st.one_of(NASTY_TEXT, JSON_LEAVES)), "created_at": "2026-01-01T00:00:00Z"} for question in questions])
        if draw(st.integers(0, 5)) == 0:
            text = "{" * 50_000
    data = text.encode("utf-8", "surrogatepass")
    packing = draw(st.sampled_from(["", "", "gz", "gz-truncated", "gz-corrupt"]))
    if packing:
        packed = gzip.compress(data)
        if packing == "gz-truncated":
            packed = packed[: max(1, len(packed) // 2)]
        elif packing == "gz-corrupt":
            packed = packed[:10] + bytes(255 - byte for byte in packed[10:])
        return f"log.{kind}.gz", packed
    return f"log.{kind}", data


@fuzz(300)
@given(log=question_log())
def test_mine_on_generated_logs_never_raises(tmp_path_factory, log):
    project = tmp_path_factory.mktemp("mine")
    content = write_tree(project / "content", {"faq/billing/reset.md": b"---\ntitle: Reset your password\nquestions: [I forgot my password]\n---\nUse the link.\n"})
    name, data = log
    path = project / name
    path.write_bytes(data)
    CASES["mine: question logs"] += 1
    before = {file: file.read_bytes() for file in content.rglob("*") if file.is_file()}
    result = run("mine", path, "--content-dir", content, "--report", project / "report.html", "--min-group-size", "2")
    CASES[f"mine: {'mined' if result.exit_code == 0 else 'refused with a located error'}"] += 1
    if result.exit_code == 1:
        assert name in result.output, f"the error names the log:\n{result.output}"
        assert {file: file.read_bytes() for file in content.rglob("*") if file.is_file()} == before
    else:
        assert run("check", content).exit_code == 0, "drafts the miner wrote pass check"


def test_generated_case_counts(capsys):
    """The closing note's figure: how many inputs the properties above were run on (needs the whole module)."""
    with capsys.disabled():
        print("\ngenerated cases:", dict(CASES), "total", sum(CASES.values()))
