"""The Stack Exchange importer: questions, answers, accepted answer, comments, links, attribution, bad dumps."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kbgen.community.records import Skipped
from kbgen.community.stackexchange import default_site_url, license_for, parse_tags, read_stackexchange
from kbgen.errors import KbgenError
from kbgen.model import Thread

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "community" / "stackexchange" / "coffee.stackexchange.com"

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def write_posts(folder: Path, rows: str, name: str = "Posts.xml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{HEADER}<posts>\n{rows}</posts>\n", encoding="utf-8")
    return path


def write_raw(folder: Path, text: str) -> Path:
    """A Posts.xml holding exactly ``text`` (for broken or hostile dumps)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Posts.xml").write_text(text, encoding="utf-8")
    return folder


def threads_of(source: Path, site_url: str | None = None) -> dict[str, Thread]:
    return {item.source_id: item for item in read_stackexchange(source, site_url) if isinstance(item, Thread)}


@pytest.fixture(scope="module")
def coffee() -> dict[str, Thread]:
    return threads_of(FIXTURE)


def test_questions_become_threads_with_answers_in_source_order(coffee: dict[str, Thread]) -> None:
    assert sorted(coffee, key=int) == ["2", "5", "14", "40", "48"]
    tamping = coffee["5"]
    assert tamping.title == "How important is tamping coffee for an espresso machine"
    assert [answer.source_id for answer in tamping.answers] == ["7", "8"]
    assert tamping.tags == ("espresso-machine", "tamping")
    assert tamping.votes == 12 and tamping.date == "2015-01-27T20:34:58"


def test_accepted_answer_is_marked_and_comes_first_when_rendered(coffee: dict[str, Thread]) -> None:
    bitterness = coffee["14"]
    assert bitterness.solved
    assert [(answer.source_id, answer.votes, answer.accepted) for answer in bitterness.answers_best_first] == [("46", 10, True), ("35", 7, False)]
    grinder = coffee["48"]
    assert grinder.answers_best_first[0].source_id == "57" and grinder.accepted_answer.votes == 4
    assert not coffee["2"].solved and coffee["2"].accepted_answer is None


def test_attribution_names_author_source_and_license(coffee: dict[str, Thread]) -> None:
    tamping = coffee["5"]
    assert tamping.author == "Kenny"  # from Users.xml
    assert tamping.source == "https://coffee.stackexchange.com/questions/5"
    assert tamping.license == "CC BY-SA 3.0"
    assert [answer.author for answer in tamping.answers] == ["hairboat", "Chris Steinbach"]
    assert coffee["48"].author == "user44"  # not in Users.xml: how Stack Exchange shows a deleted user


def test_authors_link_to_their_profile_on_the_site_when_the_dump_has_their_id(coffee: dict[str, Thread]) -> None:
    tamping = coffee["5"]
    assert tamping.author_url == "https://coffee.stackexchange.com/users/8"
    assert [answer.author_url for answer in tamping.answers] == ["https://coffee.stackexchange.com/users/4", "https://coffee.stackexchange.com/users/17"]
    assert tamping.comments[0].author_url == "https://coffee.stackexchange.com/users/17"
    assert tamping.answers[1].comments[1].author_url == ""  # a display name only: nobody to link to
    assert threads_of(FIXTURE, "https://coffee.example.org/")["5"].author_url == "https://coffee.example.org/users/8"


def test_comments_are_attached_to_their_post_and_made_inert(coffee: dict[str, Thread]) -> None:
    tamping = coffee["5"]
    assert [(comment.author, comment.date) for comment in tamping.comments] == [("Chris Steinbach", "2015-01-27T20:40:12"), ("Kenny", "2015-01-27T20:44:30")]
    answer_comments = tamping.answers[1].comments
    assert answer_comments[0].body.endswith("See also `30 lbs` as a rule of thumb.")
    assert answer_comments[1].author == "anon_visitor"
    assert answer_comments[1].body == "&lt;b>Thanks!&lt;/b> &lt;script>alert('x')&lt;/script> more and [the SCAA guide](http://www.scaa.org)"


def test_duplicate_and_related_links_are_kept_both_ways(coffee: dict[str, Thread]) -> None:
    assert coffee["40"].links.duplicates == ("https://coffee.stackexchange.com/questions/12",)
    assert coffee["2"].links.related == ("https://coffee.stackexchange.com/questions/84",)
    assert coffee["5"].links.related == ("https://coffee.stackexchange.com/questions/14",)
    assert coffee["14"].links.related == ("https://coffee.stackexchange.com/questions/5",)


def test_html_bodies_become_markdown_with_images_and_headings(coffee: dict[str, Thread]) -> None:
    answer = coffee["5"].answers[1].body
    assert "![enter image description here](http://i.stack.imgur.com/xt7gz.jpg)" in answer
    assert "\n### Function\n" in answer  # the post's h2 sits below the page's h1 and h2
    assert "<p>" not in answer


def test_tags_in_both_dump_formats() -> None:
    assert parse_tags("<espresso><milk-foam>") == ("espresso", "milk-foam")
    assert parse_tags("|espresso|Milk-Foam|") == ("espresso", "milk-foam")
    assert parse_tags("") == ()


def test_license_follows_the_post_date() -> None:
    assert license_for("2018-05-01T23:59:59") == "CC BY-SA 3.0"
    assert license_for("2018-05-02T00:00:00") == "CC BY-SA 4.0"


def test_thread_license_lists_both_when_answers_came_after_the_switch(tmp_path: Path) -> None:
    write_posts(tmp_path / "site.stackexchange.com", (
        '<row Id="1" PostTypeId="1" CreationDate="2017-01-01T00:00:00.000" Score="1" Body="&lt;p&gt;Q&lt;/p&gt;" Title="Old" Tags="|a|" />\n'
        '<row Id="2" PostTypeId="2" ParentId="1" CreationDate="2019-01-01T00:00:00.000" Score="1" Body="&lt;p&gt;A&lt;/p&gt;" />\n'
    ))  # fmt: skip
    assert threads_of(tmp_path / "site.stackexchange.com")["1"].license == "CC BY-SA 3.0, CC BY-SA 4.0"


def test_site_address_comes_from_the_dump_folder_name(tmp_path: Path) -> None:
    assert default_site_url(tmp_path / "coffee.stackexchange.com" / "Posts.xml") == "https://coffee.stackexchange.com"
    assert default_site_url(tmp_path / "stackexchange_cstheory_meta_2019" / "Posts.xml.gz") == "https://cstheory.meta.stackexchange.com"
    with pytest.raises(KbgenError, match="--site-url"):
        default_site_url(tmp_path / "dump" / "Posts.xml")


def test_tag_wikis_and_orphan_answers_are_ignored_and_empty_bodies_get_the_title(tmp_path: Path) -> None:
    folder = tmp_path / "x.stackexchange.com"
    write_posts(folder, (
        '<row Id="1" PostTypeId="4" CreationDate="2015-01-01T00:00:00.000" Score="0" Body="wiki" />\n'
        '<row Id="2" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" Score="0" Body="" Title="Only a title?" Tags="&lt;t&gt;" OwnerDisplayName="Guest" />\n'
        '<row Id="3" PostTypeId="2" ParentId="99" CreationDate="2015-01-01T00:00:00.000" Score="0" Body="orphan" />\n'
    ))  # fmt: skip
    threads = threads_of(folder)
    assert list(threads) == ["2"]
    assert threads["2"].body == "Only a title?\n" and threads["2"].author == "Guest"


def test_gzipped_dump_reads_like_the_plain_one(tmp_path: Path) -> None:
    folder = tmp_path / "coffee.stackexchange.com"
    folder.mkdir()
    (folder / "Posts.xml.gz").write_bytes(gzip.compress((FIXTURE / "Posts.xml").read_bytes()))
    threads = threads_of(folder)
    assert sorted(threads, key=int) == ["2", "5", "14", "40", "48"]
    assert threads["5"].author == "user8"  # no Users.xml beside this one


def test_xml_bomb_is_refused_before_any_expansion(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    bomb = f'{HEADER}<!DOCTYPE posts [<!ENTITY lol0 "lol">{entities}]>\n<posts>\n<row Id="1" PostTypeId="1" Body="&lol9;" /></posts>\n'
    with pytest.raises(KbgenError) as raised:
        list(read_stackexchange(write_raw(tmp_path / "bomb.stackexchange.com", bomb)))
    assert "refused" in raised.value.message and raised.value.line == 2
    assert "XML bomb" in raised.value.hint


def test_external_entities_are_refused(tmp_path: Path) -> None:
    xxe = f'{HEADER}<!DOCTYPE posts [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<posts><row Body="&x;"/></posts>\n'
    with pytest.raises(KbgenError, match="refused"):
        list(read_stackexchange(write_raw(tmp_path / "xxe.stackexchange.com", xxe)))


def test_truncated_xml_names_file_and_line(tmp_path: Path) -> None:
    text = (FIXTURE / "Posts.xml").read_text(encoding="utf-8")
    with pytest.raises(KbgenError) as raised:
        list(read_stackexchange(write_raw(tmp_path / "cut.stackexchange.com", text[: len(text) // 2])))
    assert raised.value.path.endswith("Posts.xml") and "ends too early" in raised.value.message
    assert raised.value.line == text[: len(text) // 2].count("\n") + 1


def test_truncated_gzip_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "cut.stackexchange.com"
    folder.mkdir()
    data = gzip.compress((FIXTURE / "Posts.xml").read_bytes())
    (folder / "Posts.xml.gz").write_bytes(data[: len(data) - 200])
    with pytest.raises(KbgenError, match="damaged or truncated"):
        list(read_stackexchange(folder))


def test_missing_attribute_names_the_row_and_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "bad.stackexchange.com"
    write_posts(folder, (
        '<row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" Score="1" Body="" Title="Fine" />\n'
        '<row Id="2" PostTypeId="2" CreationDate="2015-01-01T00:00:00.000" Score="1" Body="no parent" />\n'
    ))  # fmt: skip
    with pytest.raises(KbgenError) as raised:
        list(read_stackexchange(folder))
    assert (raised.value.line, raised.value.message) == (4, "row Id=2: missing attribute ParentId")


def test_bad_numbers_and_dates_are_located(tmp_path: Path) -> None:
    folder = tmp_path / "bad.stackexchange.com"
    write_posts(folder, '<row Id="1" PostTypeId="1" CreationDate="yesterday" Score="1" Body="" Title="T" />\n')
    with pytest.raises(KbgenError, match="CreationDate is not an ISO date-time: 'yesterday'"):
        list(read_stackexchange(folder))
    write_posts(folder, '<row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" Score="lots" Body="" Title="T" />\n')
    with pytest.raises(KbgenError, match="Score must be a whole number"):
        list(read_stackexchange(folder))


def test_wrong_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KbgenError, match="expected a <posts> file, found <comments>"):
        list(read_stackexchange(write_raw(tmp_path / "x.stackexchange.com", f"{HEADER}<comments><row Id='1'/></comments>\n")))
    with pytest.raises(KbgenError, match="no Posts.xml"):
        list(read_stackexchange(tmp_path))


def test_skipped_items_are_never_produced_by_a_complete_dump() -> None:
    assert not any(isinstance(item, Skipped) for item in read_stackexchange(FIXTURE))
