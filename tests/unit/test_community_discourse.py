"""The Discourse importer: topic and posts.json shapes, accepted answer, likes, paging, bad JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbgen.community.discourse import read_discourse
from kbgen.community.records import Skipped
from kbgen.errors import KbgenError
from kbgen.model import Thread

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "community" / "discourse" / "t_2144_solved_topic.json"


def test_solved_topic_puts_the_accepted_answer_first() -> None:
    (thread,) = read_discourse(FIXTURE)
    assert isinstance(thread, Thread)
    assert thread.title == "Kpop Demon Hunters" and thread.tags == ("movies",)
    assert thread.solved and thread.author == "Elliot" and thread.votes == 1
    assert [(answer.author, answer.votes, answer.accepted) for answer in thread.answers] == [
        ("Eternity", 0, False), ("anonymous45", 0, True), ("Apricus", 3, False),
    ]  # fmt: skip
    assert thread.answers_best_first[0].author == "anonymous45"
    assert thread.answers_best_first[1].author == "Apricus"


def test_authors_link_to_their_discourse_profile() -> None:
    (thread,) = read_discourse(FIXTURE)
    assert thread.author_url == "https://discuss.criticalfallibilism.com/u/Elliot"
    assert thread.answers_best_first[0].author_url == "https://discuss.criticalfallibilism.com/u/anonymous45"


def test_source_link_uses_the_forum_host_named_in_avatar_paths_or_site_url() -> None:
    (thread,) = read_discourse(FIXTURE)
    assert thread.source == "https://discuss.criticalfallibilism.com/t/kpop-demon-hunters/2144"
    assert thread.source_id == "2144" and thread.license == ""
    (thread,) = read_discourse(FIXTURE, "https://forum.example.com/")
    assert thread.source == "https://forum.example.com/t/kpop-demon-hunters/2144"


def test_cooked_html_becomes_markdown_without_avatars() -> None:
    (thread,) = read_discourse(FIXTURE)
    for text in (thread.body, *(answer.body for answer in thread.answers)):
        assert "<p>" not in text and "user_avatar" not in text


def test_real_posts_json_without_a_title_takes_it_from_the_slug(shared_data: Path) -> None:
    (thread,) = read_discourse(shared_data / "discourse_topic_json" / "t_2144_posts.json")
    assert thread.title == "Kpop demon hunters"
    assert len(thread.answers) == 19 and not thread.solved


def test_real_full_topic_without_its_first_post_is_skipped_with_a_reason(shared_data: Path) -> None:
    assert list(read_discourse(shared_data / "discourse_topic_json" / "t_2108_full_topic.json")) == [Skipped("2108", "first post not in the export")]


def test_pages_of_one_topic_are_merged(tmp_path: Path) -> None:
    topic = json.loads(FIXTURE.read_text(encoding="utf-8"))
    posts = topic["post_stream"]["posts"]
    first_page = {**topic, "post_stream": {"posts": posts[:2]}}
    second_page = {"id": 2144, "post_stream": {"posts": posts[2:]}}
    (tmp_path / "page1.json").write_text(json.dumps(first_page), encoding="utf-8")
    (tmp_path / "page2.json").write_text(json.dumps(second_page), encoding="utf-8")
    (thread,) = read_discourse(tmp_path)
    assert len(thread.answers) == 3 and thread.solved


def test_deleted_hidden_and_small_action_posts_are_left_out(tmp_path: Path) -> None:
    topic = json.loads(FIXTURE.read_text(encoding="utf-8"))
    posts = topic["post_stream"]["posts"]
    posts[1]["deleted_at"] = "2026-01-11T00:00:00Z"
    posts[3]["post_type"] = 3
    (tmp_path / "t.json").write_text(json.dumps(topic), encoding="utf-8")
    (thread,) = read_discourse(tmp_path / "t.json")
    assert [answer.author for answer in thread.answers] == ["anonymous45"]


def test_wrong_shape_invalid_json_and_missing_fields_are_located(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"topics": []}', encoding="utf-8")
    with pytest.raises(KbgenError, match="not a Discourse topic"):
        list(read_discourse(path))
    path.write_text('{"id": 1,\n "post_stream": {"posts": [', encoding="utf-8")
    with pytest.raises(KbgenError) as raised:
        list(read_discourse(path))
    assert raised.value.line == 2 and "invalid JSON" in raised.value.message and "truncated" in raised.value.hint
    topic = json.loads(FIXTURE.read_text(encoding="utf-8"))
    del topic["post_stream"]["posts"][2]["cooked"]
    path.write_text(json.dumps(topic), encoding="utf-8")
    with pytest.raises(KbgenError, match=r"topic, post_stream.posts\[2\]: missing field 'cooked'"):
        list(read_discourse(path))


def test_without_site_url_or_avatar_paths_the_address_must_be_given(tmp_path: Path) -> None:
    topic = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for post in topic["post_stream"]["posts"]:
        post.pop("avatar_template")
    (tmp_path / "t.json").write_text(json.dumps(topic), encoding="utf-8")
    with pytest.raises(KbgenError, match="cannot tell the forum's address"):
        list(read_discourse(tmp_path / "t.json"))
