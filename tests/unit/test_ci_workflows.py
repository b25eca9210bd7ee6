"""``kbgen init --ci`` writes workflows that the published GitHub Actions and GitLab CI schemas accept.

The schemas are the copies check-jsonschema vendors (``--builtin-schema vendor.*``): no network.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kbgen import __version__
from kbgen.scaffold import init_project

pytest.importorskip("check_jsonschema", reason="check-jsonschema (the test extra) validates the workflows")

PINNED = re.compile(r"^[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def validate(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}", str(path)], capture_output=True, text=True, timeout=120)


def github_workflow(tmp_path: Path) -> tuple[Path, dict]:
    init_project(tmp_path, "github")
    path = tmp_path / ".github" / "workflows" / "kbgen.yml"
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_github_workflow_is_valid_against_the_published_schema(tmp_path):
    path, _ = github_workflow(tmp_path)
    result = validate(path, "github-workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_ci_is_valid_against_the_published_schema(tmp_path):
    init_project(tmp_path, "gitlab")
    result = validate(tmp_path / ".gitlab-ci.yml", "gitlab-ci")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / ".github").exists()


def test_schema_validation_rejects_a_broken_workflow(tmp_path):
    path, workflow = github_workflow(tmp_path)
    del workflow["jobs"]["build"]["runs-on"]
    path.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    assert validate(path, "github-workflows").returncode != 0


def test_github_pull_requests_are_checked_with_annotations_and_built(tmp_path):
    _, workflow = github_workflow(tmp_path)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert runs.index("kbgen check --format github") < runs.index("kbgen build")


def test_github_main_publishes_with_the_official_pages_actions(tmp_path):
    _, workflow = github_workflow(tmp_path)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site" and "pull_request" in upload["if"]
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"} and "permissions" not in build  # pull requests get a read-only token


def test_github_actions_are_pinned_to_exact_versions(tmp_path):
    _, workflow = github_workflow(tmp_path)
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(uses) == 6
    assert [action for action in uses if not PINNED.match(action)] == []


def test_github_workflow_caches_pip_and_kbgen_folder(tmp_path):
    _, workflow = github_workflow(tmp_path)
    steps = workflow["jobs"]["build"]["steps"]
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".kbgen" and "restore-keys" in cache["with"]


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_workflow_installs_this_kbgen_with_the_semantic_extra_optional(tmp_path, ci):
    init_project(tmp_path, ci)
    path = tmp_path / (".github/workflows/kbgen.yml" if ci == "github" else ".gitlab-ci.yml")
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    variables = workflow["env" if ci == "github" else "variables"]
    assert variables["KBGEN_VERSION"] == __version__
    assert variables["KBGEN_EXTRAS"] == ""
    assert '"[semantic]"' in path.read_text(encoding="utf-8")
    assert 'python -m pip install "kbgen${KBGEN_EXTRAS}==${KBGEN_VERSION}"' in path.read_text(encoding="utf-8")


def test_gitlab_checks_merge_requests_and_publishes_public_from_the_default_branch(tmp_path):
    init_project(tmp_path, "gitlab")
    workflow = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    check, pages = workflow["check"], workflow["pages"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert check["script"] == ["kbgen check", "kbgen build"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["script"][-1] == "kbgen build --site-dir public" and pages["artifacts"]["paths"] == ["public"]
    assert ".kbgen/" in workflow["default"]["cache"]["paths"]


def test_init_ci_none_writes_no_workflow_and_an_existing_one_is_kept(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "plain", "--ci", "none").exit_code == 0
    assert not (tmp_path / "plain" / ".github").exists() and not (tmp_path / "plain" / ".gitlab-ci.yml").exists()
    own = tmp_path / "own" / ".github" / "workflows" / "kbgen.yml"
    own.parent.mkdir(parents=True)
    own.write_text("name: ours\n", encoding="utf-8")
    result = run_cli("init", tmp_path / "own")
    assert result.exit_code == 0
    assert own.read_text(encoding="utf-8") == "name: ours\n"


def test_init_default_is_github(run_cli, tmp_path):
    result = run_cli("init", tmp_path)
    assert result.exit_code == 0
    assert f"created {tmp_path / '.github' / 'workflows' / 'kbgen.yml'}" in result.stdout
