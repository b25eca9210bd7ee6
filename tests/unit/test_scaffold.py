"""``kbgen init`` and ``kbgen new`` produce files that pass ``kbgen check`` as they are."""

from __future__ import annotations

from kbgen.check import check_tree


def test_init_creates_a_site_that_checks_clean(run_cli, tmp_path):
    result = run_cli("init", tmp_path / "help")
    assert result.exit_code == 0
    assert (tmp_path / "help" / "mkdocs.yml").is_file()
    assert (tmp_path / "help" / ".gitignore").read_text().startswith("/site/")
    _, problems = check_tree(tmp_path / "help" / "content")
    assert problems == []


def test_init_refuses_to_overwrite_a_site(run_cli, tmp_path):
    run_cli("init", tmp_path)
    result = run_cli("init", tmp_path)
    assert result.exit_code == 1
    assert "a site already exists here" in result.stderr


def test_new_faq_and_thread_pass_check(run_cli, write_tree):
    root = write_tree({})
    for kind, title in (("faq", "Change your billing e-mail"), ("thread", "Invoice PDF is blank"), ("faq", "Pay by bank transfer")):
        result = run_cli("new", kind, title, "--category", "billing", "--content-dir", root)
        assert result.exit_code == 0, result.stderr
    assert (root / "faq/billing/change-your-billing-e-mail.md").is_file()
    assert (root / "community/billing/invoice-pdf-is-blank.md").is_file()
    _, problems = check_tree(root)
    assert problems == []


def test_new_with_unknown_category_suggests_one(run_cli, write_tree):
    root = write_tree({})
    result = run_cli("new", "faq", "Refunds", "--category", "biling", "--content-dir", root)
    assert result.exit_code == 1
    assert "unknown category 'biling'; did you mean 'billing'?" in result.stderr


def test_new_refuses_to_overwrite(run_cli, write_tree):
    root = write_tree({})
    run_cli("new", "faq", "Refunds", "-c", "billing", "--content-dir", root)
    result = run_cli("new", "faq", "Refunds", "-c", "billing", "--content-dir", root)
    assert result.exit_code == 1
    assert "file already exists" in result.stderr
