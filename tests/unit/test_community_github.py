"""The GitHub Discussions importer: GraphQL shapes, answer and replies, labels, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbgen.community.github import read_github_discussions
from kbgen.errors import KbgenError
from kbgen.model import Thread

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "community" / "github" / "discussions_response.json"


def _threads(path: Path, site_url: str | None = None) -> list[Thread]:
    return [item for item in read_github_discussions(path, site_url) if isinstance(item, Thread)]


def test_graphql_response_gives_one_thread_per_discussion() -> None:
    threads = _threads(FIXTURE)
    assert [(thread.source_id, thread.category, thread.source) for thread in threads] == [
        ("212", "Q&A", "https://github.com/brightbill/brightbill-sdk/discussions/212"),
        ("215", "Ideas", "https://github.com/brightbill/brightbill-sdk/discussions/215"),
        ("219", "Announcements", "https://github.com/brightbill/brightbill-sdk/discussions/219"),
    ]  # fmt: skip


def test_chosen_answer_comes_first_and_replies_become_its_comments() -> None:
    retry = _threads(FIXTURE)[0]
    assert retry.solved and retry.votes == 7 and retry.tags == ("webhooks", "node.js")
    assert [(answer.author, answer.votes, answer.accepted) for answer in retry.answers_best_first] == [
        ("marco-brightbill", 4, True), ("kjetil-h", 9, False),
    ]  # fmt: skip
    accepted = retry.accepted_answer
    assert "```python\nclient.webhooks.replay(endpoint_id" in accepted.body
    assert [(comment.author, comment.body) for comment in accepted.comments] == [("ana-fernandes", "That replayed all 38 events, thanks!")]


def test_author_links_come_from_author_url_when_it_is_a_web_address() -> None:
    retry = _threads(FIXTURE)[0]
    assert retry.author_url == "https://github.com/ana-fernandes"
    assert retry.accepted_answer.comments[0].author_url == "https://github.com/ana-fernandes"
    assert [answer.author_url for answer in retry.answers] == ["", ""]  # kjetil-h's is javascript:, marco's is not in the query
    assert _threads(FIXTURE)[1].author_url == ""  # a deleted account: no author at all


def test_deleted_accounts_show_as_ghost_and_markdown_bodies_are_sanitized() -> None:
    limits = _threads(FIXTURE)[1]
    assert limits.author == "ghost"
    assert "onerror" not in limits.body and "<img" not in limits.body
    assert limits.answers[0].body == "Same here with the Python SDK .\n"


def test_single_discussion_list_and_edges_shapes(tmp_path: Path) -> None:
    nodes = json.loads(FIXTURE.read_text(encoding="utf-8"))["data"]["repository"]["discussions"]["nodes"]
    (tmp_path / "one.json").write_text(json.dumps(nodes[0]), encoding="utf-8")
    assert [thread.source_id for thread in _threads(tmp_path / "one.json")] == ["212"]
    (tmp_path / "list.json").write_text(json.dumps(nodes[:2]), encoding="utf-8")
    assert [thread.source_id for thread in _threads(tmp_path / "list.json")] == ["212", "215"]
    edges = {"data": {"repository": {"discussions": {"edges": [{"node": node} for node in nodes]}}}}
    (tmp_path / "edges.json").write_text(json.dumps(edges), encoding="utf-8")
    assert len(_threads(tmp_path / "edges.json")) == 3


def test_without_url_the_site_url_builds_the_link(tmp_path: Path) -> None:
    node = json.loads(FIXTURE.read_text(encoding="utf-8"))["data"]["repository"]["discussions"]["nodes"][0]
    del node["url"]
    (tmp_path / "d.json").write_text(json.dumps(node), encoding="utf-8")
    assert _threads(tmp_path / "d.json", "https://github.com/acme/app")[0].source == "https://github.com/acme/app/discussions/212"
    with pytest.raises(KbgenError, match="no 'url' to link back to"):
        _threads(tmp_path / "d.json")


def test_wrong_shape_and_missing_fields_name_the_record(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"data": {"viewer": {}}}', encoding="utf-8")
    with pytest.raises(KbgenError, match="not GitHub Discussions JSON"):
        _threads(path)
    path.write_text('{"errors": [{"message": "Bad credentials"}]}', encoding="utf-8")
    with pytest.raises(KbgenError, match="GraphQL error response"):
        _threads(path)
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    del data["data"]["repository"]["discussions"]["nodes"][1]["createdAt"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KbgenError, match=r"data.repository.discussions.nodes\[1\]: missing field 'createdAt'"):
        _threads(path)
    data["data"]["repository"]["discussions"]["nodes"][1]["createdAt"] = "2026-05-14T16:05:10Z"
    data["data"]["repository"]["discussions"]["nodes"][1]["upvoteCount"] = "two"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KbgenError, match="field 'upvoteCount' must be a number, not str"):
        _threads(path)
