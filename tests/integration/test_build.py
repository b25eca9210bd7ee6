"""``kbgen build``: a real MkDocs build, reproducible, and atomic (a failed build keeps the old site)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest


def digest_tree(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def small_site(run_cli, tmp_path) -> Path:
    project = tmp_path / "help"
    assert run_cli("init", project).exit_code == 0
    return project


def test_init_then_build_produces_pages(run_cli, small_site):
    result = run_cli("build", "-f", small_site / "mkdocs.yml")
    assert result.exit_code == 0, result.stderr
    site = small_site / "site"
    assert (site / "index.html").is_file()
    assert (site / "faq/getting-started/create-your-account/index.html").is_file()
    assert "Links work for 24 hours" in (site / "community/getting-started/confirmation-link-expired/index.html").read_text()
    assert not (site / "categories.yml").exists()
    assert not list(small_site.glob(".site.*")), "the staging folder is cleaned up"


def copy_demo_project(repo_root: Path, target: Path) -> Path:
    """The demo project (config, content, theme overrides) in a folder of its own, so its cache is its own."""
    for folder in ("content", "theme"):
        shutil.copytree(repo_root / folder, target / folder)
    shutil.copy2(repo_root / "mkdocs.yml", target / "mkdocs.yml")
    return target / "mkdocs.yml"


def test_build_is_byte_identical_in_separate_folders_with_separate_caches(run_cli, repo_root, tmp_path):
    sites = []
    for name in ("one", "two"):
        config = copy_demo_project(repo_root, tmp_path / name)
        result = run_cli("build", "-f", config)
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name / ".kbgen" / "build-state.json").is_file(), "each project keeps its own cache"
        sites.append(digest_tree(tmp_path / name / "site"))
    # A second build of the first project starts from its warm cache: the same bytes again.
    assert run_cli("build", "-f", tmp_path / "one" / "mkdocs.yml", "-d", tmp_path / "again").exit_code == 0
    assert sites[0] == sites[1] == digest_tree(tmp_path / "again")
    assert len(sites[0]) > 60


def test_failed_build_keeps_previous_site(run_cli, small_site):
    assert run_cli("build", "-f", small_site / "mkdocs.yml").exit_code == 0
    before = digest_tree(small_site / "site")
    bad = small_site / "content/faq/getting-started/broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    result = run_cli("build", "-f", small_site / "mkdocs.yml")
    assert result.exit_code == 1
    assert "content/faq/getting-started/broken.md:3:1: error: invalid YAML" in result.stderr
    assert "content error(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest_tree(small_site / "site") == before
    assert not list(small_site.glob(".site.*"))


def test_drafts_are_built_only_on_request(run_cli, small_site):
    draft = small_site / "content/faq/getting-started/draft-article.md"
    draft.write_text("---\ntitle: Coming soon\nstatus: draft\n---\nSoon.\n", encoding="utf-8")
    assert run_cli("build", "-f", small_site / "mkdocs.yml").exit_code == 0
    assert not (small_site / "site/faq/getting-started/draft-article").exists()
    assert run_cli("build", "-f", small_site / "mkdocs.yml", "--drafts").exit_code == 0
    assert (small_site / "site/faq/getting-started/draft-article/index.html").is_file()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_an_uncategorized_draft_builds_on_request_with_either_engine(run_cli, small_site, engine):
    # kbgen mine puts a draft that fits no declared category in faq/uncategorized/ (not in categories.yml).
    pytest.importorskip(engine)
    draft = small_site / "content/faq/uncategorized/do-i-need-a-visa.md"
    draft.parent.mkdir()
    draft.write_text("---\ntitle: Do I need a visa to travel to Indonesia?\nstatus: draft\n---\n_Answer._\n", encoding="utf-8")
    assert run_cli("check", small_site / "content").exit_code == 0
    assert run_cli("build", "-f", small_site / "mkdocs.yml", "-e", engine).exit_code == 0
    assert not (small_site / "site/faq/uncategorized").exists()
    result = run_cli("build", "-f", small_site / "mkdocs.yml", "-e", engine, "--drafts")
    assert result.exit_code == 0, result.stderr
    page = (small_site / "site/faq/uncategorized/do-i-need-a-visa/index.html").read_text(encoding="utf-8")
    assert "Do I need a visa to travel to Indonesia?" in page


def test_a_rejected_draft_is_never_built_searched_or_listed(run_cli, small_site):
    rejected = small_site / "content/faq/getting-started/rejected-article.md"
    rejected.write_text("---\ntitle: Can you freeze my bank account?\nstatus: rejected\ntags: [account]\n---\nNot our business.\n", encoding="utf-8")
    for extra in ((), ("--drafts",)):
        assert run_cli("build", "-f", small_site / "mkdocs.yml", *extra).exit_code == 0
        site = small_site / "site"
        assert not (site / "faq/getting-started/rejected-article").exists()
        built = [path for path in site.rglob("*") if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js")]
        assert built and not [path for path in built if "rejected-article" in path.read_text(encoding="utf-8", errors="replace") or "freeze my bank" in path.read_text(encoding="utf-8", errors="replace")]


def test_missing_config_is_a_clear_error(run_cli, tmp_path):
    result = run_cli("build", "-f", tmp_path / "mkdocs.yml")
    assert result.exit_code == 1
    assert "MkDocs config not found" in result.stderr


def test_wheel_ships_the_theme(repo_root, tmp_path):
    """A user who only pip-installs kbgen gets theme/ inside the package."""
    pytest.importorskip("hatchling")
    from hatchling.builders.wheel import WheelBuilder

    source = tmp_path / "src"
    top_level_output = {"site", ".git", ".kbgen", ".venv", "tests"}
    shutil.copytree(
        repo_root,
        source,
        ignore=lambda folder, names: [name for name in names if name in {"node_modules", "__pycache__"} or (Path(folder) == repo_root and name in top_level_output)],
    )
    wheel = Path(next(WheelBuilder(str(source)).build(directory=str(tmp_path / "dist"), versions=["standard"])))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "kbgen/theme/main.html" in names
    assert "kbgen/theme/kbgen/pages/home.html" in names and "kbgen/theme/kbgen/partials/related.html" in names  # the page templates
    assert {"kbgen/site/locales/en.yml", "kbgen/site/locales/de.yml", "kbgen/site/locales/fr.yml"} <= set(names)  # the string tables
    assert "kbgen/scaffold_files/mkdocs.yml" in names
    assert "kbgen/site/plugin.py" in names
