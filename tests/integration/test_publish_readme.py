"""The README's publishing section, end to end but for the upload: ``kbgen init``, then the generated workflow's own steps.

Each ``run:`` step of the GitHub workflow (and each script line of the GitLab jobs) runs here in
a fresh project, as the CI runner would run it. The install step runs too, against this
environment and without an index: it must find the kbgen it pins already installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

VENV_BIN = Path(sys.executable).parent
BAD_ARTICLE = "---\ntitle: Cancel an order\nstatus: wrong\n---\nOpen **Orders**.\n"


def ci_environment(tmp_path: Path, variables: dict[str, str], **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_STEP_SUMMARY", "CI", "KBGEN_DRAFTS")}
    env.update({key: str(value) for key, value in variables.items()})
    env.update(
        CI="true",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        PIP_NO_INDEX="1",  # the install step must be satisfied by the kbgen installed here
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        HOME=str(tmp_path / "home"),
        **extra,
    )
    return env


def run_step(script: str, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub's default shell for run steps on Linux: bash -e with pipefail.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def kbgen_init(tmp_path: Path, *arguments: str) -> Path:
    project = tmp_path / "help"
    subprocess.run([str(VENV_BIN / "kbgen"), "init", str(project), *arguments], check=True, capture_output=True, text=True)
    return project


def github_run_steps(project: Path) -> tuple[dict[str, str], list[dict]]:
    workflow = yaml.safe_load((project / ".github" / "workflows" / "kbgen.yml").read_text(encoding="utf-8"))
    return workflow["env"], [step for step in workflow["jobs"]["build"]["steps"] if "run" in step]


def test_github_workflow_steps_check_build_and_summarize_a_new_project(tmp_path):
    project = kbgen_init(tmp_path)
    variables, steps = github_run_steps(project)
    assert [step["name"] for step in steps] == ["Install kbgen", "Check the content", "Build the site"]
    summary = tmp_path / "step-summary.md"
    env = ci_environment(tmp_path, variables, GITHUB_STEP_SUMMARY=str(summary))
    for step in steps:
        result = run_step(step["run"], project, env)
        assert result.returncode == 0, f"{step['name']}: {result.stdout}{result.stderr}"
        if step["name"] == "Install kbgen":
            assert "Requirement already satisfied: kbgen==" in result.stdout
    assert (project / "site" / "index.html").is_file()
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Help center built\n")
    for row in ("| Pages built |", "| Errors | 0 |", "| Warnings | 0 |", "| Drafts left out |", "| Broken links | 0 |", "| Question coverage", "| Site size |"):
        assert row in text


def test_github_check_step_annotates_a_content_error_and_fails(tmp_path):
    project = kbgen_init(tmp_path)
    (project / "content" / "faq" / "getting-started" / "cancel-an-order.md").write_text(BAD_ARTICLE, encoding="utf-8")
    variables, steps = github_run_steps(project)
    check = next(step for step in steps if step["name"] == "Check the content")
    result = run_step(check["run"], project, ci_environment(tmp_path, variables))
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=content/faq/getting-started/cancel-an-order.md,line=3,col=1::unknown status 'wrong'")


def test_github_build_step_of_a_broken_project_fails_with_a_summary_of_why(tmp_path):
    project = kbgen_init(tmp_path)
    (project / "content" / "faq" / "getting-started" / "cancel-an-order.md").write_text(BAD_ARTICLE, encoding="utf-8")
    variables, steps = github_run_steps(project)
    build = next(step for step in steps if step["name"] == "Build the site")
    summary = tmp_path / "step-summary.md"
    result = run_step(build["run"], project, ci_environment(tmp_path, variables, GITHUB_STEP_SUMMARY=str(summary)))
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Help center build failed\n")
    assert "| faq/getting-started/cancel-an-order.md | 3 | error | unknown status &#x27;wrong&#x27;" in text


def test_gitlab_pages_job_builds_public_and_writes_the_summary_file(tmp_path):
    project = kbgen_init(tmp_path, "--ci", "gitlab")
    workflow = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    env = ci_environment(tmp_path, {key: value for key, value in workflow["variables"].items() if key != "PIP_CACHE_DIR"})
    for line in [*workflow["default"]["before_script"], *workflow["pages"]["script"]]:
        result = run_step(line, project, env)
        assert result.returncode == 0, f"{line}: {result.stdout}{result.stderr}"
    assert (project / "public" / "index.html").is_file()
    assert not (project / "site").exists()
    assert (project / ".kbgen" / "build-summary.md").read_text(encoding="utf-8").startswith("## Help center built\n")
    assert workflow["check"]["artifacts"]["paths"] == [".kbgen/build-summary.md"]


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_any_static_host_gets_the_built_folder(tmp_path, ci):
    """Other hosts: kbgen build, then upload site/ (what the README says for Netlify, S3, a web server)."""
    project = kbgen_init(tmp_path, "--ci", ci)
    result = run_step("kbgen check && kbgen build", project, ci_environment(tmp_path, {}))
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(path.relative_to(project / "site").as_posix() for path in (project / "site").rglob("index.html"))
    assert "index.html" in pages and "faq/getting-started/create-your-account/index.html" in pages
