"""Every command exits 0 when done, 1 when its inputs have a problem, 2 on a usage error."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kbgen.cli import main
from kbgen.scaffold import init_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD_ARTICLE = "---\ntitle: Broken\nstatus: wrong\n---\nSee [x](missing.md).\n"
QUESTIONS = "\n".join(f"How do I {verb} my password?" for verb in ("reset", "change", "recover", "renew", "update", "reset")) + "\n"

# command -> (arguments that succeed, arguments whose inputs have a problem); run in a fresh `kbgen init` project.
# None: no succeeding run in a test (serve does not return).
CASES: dict[str, tuple[list[str] | None, list[str]]] = {
    "init": (["another"], ["."]),
    "new": (["faq", "Close your account", "-c", "getting-started"], ["faq", "Close your account", "-c", "no-such-category"]),
    "check": ([], ["broken"]),
    "build": ([], ["-f", "broken.yml"]),
    "serve": (None, ["-f", "missing.yml"]),
    "import": (["discourse", str(FIXTURES / "community" / "discourse" / "t_2144_solved_topic.json"), "-c", "getting-started"], ["discourse", "missing.json"]),
    "promote": (["content/community/getting-started/confirmation-link-expired.md"], ["content/community/getting-started/missing.md"]),
    "mine": (["questions.txt", "--no-drafts", "--min-group-size", "2"], ["missing.csv"]),
    "report": ([".kbgen/report.json"], ["missing.json"]),
    "search": (["account"], ["account", "--content-dir", "broken-nowhere"]),
    "collect": (None, ["--port", "0", "--out", "questions.txt/events.jsonl"]),
    "related": (["faq/getting-started/create-your-account.md", "--all"], ["faq/getting-started/create-your-account.md", "--content-dir", "broken-nowhere"]),
}
USAGE_ERRORS = {
    "new": ["faq", "  ", "-c", "getting-started"],
    "search": ["   "],
    "init": ["--ci", "jenkins"],
    "check": ["--changed", "no-such-revision"],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init_project(tmp_path)
    (tmp_path / "broken" / "faq" / "getting-started").mkdir(parents=True)
    (tmp_path / "broken" / "categories.yml").write_text("getting-started:\n  title: Getting started\n", encoding="utf-8")
    (tmp_path / "broken" / "faq" / "getting-started" / "broken.md").write_text(BAD_ARTICLE, encoding="utf-8")
    (tmp_path / "broken.yml").write_text("site_name: Broken\ndocs_dir: broken\nplugins: [kbgen]\n", encoding="utf-8")
    (tmp_path / "questions.txt").write_text(QUESTIONS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_command_has_exit_code_cases():
    assert sorted(CASES) == main.list_commands(click.Context(main))


@pytest.mark.parametrize("name", sorted(CASES))
def test_unknown_option_exits_2_and_help_exits_0(run_cli, name):
    assert run_cli(name, "--no-such-option").exit_code == 2
    assert run_cli(name, "--help").exit_code == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_command_exits_0_when_done_and_1_on_a_problem_with_its_inputs(run_cli, project, name):
    succeeding, failing = CASES[name]
    if name == "report":  # the report of a real mining run
        assert run_cli("mine", "questions.txt", "--no-drafts", "--min-group-size", "2").exit_code == 0
    if succeeding is not None:
        result = run_cli(name, *succeeding)
        assert result.exit_code == 0, result.output
    result = run_cli(name, *failing)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "error" in result.output


@pytest.mark.parametrize("name", sorted(USAGE_ERRORS))
def test_usage_errors_exit_2(run_cli, project, name):
    result = run_cli(name, *USAGE_ERRORS[name])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
