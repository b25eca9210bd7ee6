"""The CLI group loads a command's module only when the command runs, and lists every command as click would."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib import import_module

import click
from click.testing import CliRunner

from kbgen.cli import COMMANDS, main


def test_every_listed_command_is_the_command_its_module_defines_with_the_same_summary():
    for name, (module, summary) in COMMANDS.items():
        command = import_module(f"kbgen.cli.{module}").command
        assert command.name == name
        assert inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ") == summary


def test_help_lists_the_commands_as_an_eagerly_loaded_group_does():
    eager = click.Group("kbgen", help=main.help, params=main.params, context_settings=main.context_settings)
    for name, (module, _summary) in COMMANDS.items():
        eager.add_command(import_module(f"kbgen.cli.{module}").command, name)
    lazy_help = CliRunner().invoke(main, ["--help"], prog_name="kbgen").output
    eager_help = CliRunner().invoke(eager, ["--help"], prog_name="kbgen").output
    assert lazy_help == eager_help
    assert "check    Validate the content tree" in lazy_help


def test_help_and_check_import_no_heavy_stage(tmp_path):
    # A fresh interpreter: what `kbgen --help` and `kbgen check` load (the duplicate rule's cache is warm for the second run).
    probe = (
        "import sys\n"
        "from kbgen.cli import main\n"
        "try:\n    main(sys.argv[1:], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(name for name in ('numpy', 'scipy', 'whoosh', 'mkdocs.commands.build', 'kbgen.rank', 'kbgen.link', 'kbgen.build') if name in sys.modules))\n"
    )
    content = tmp_path / "content"
    (content / "faq" / "billing").mkdir(parents=True)
    for slug, title in (("request-a-refund", "How do I get a refund?"), ("change-plan", "How do I change my plan?")):
        (content / "faq" / "billing" / f"{slug}.md").write_text(f"---\ntitle: {title}\n---\nAnswer.\n", encoding="utf-8")

    def loaded(*arguments: str) -> str:
        result = subprocess.run([sys.executable, "-c", probe, *arguments], cwd=tmp_path, capture_output=True, text=True, check=True)
        return result.stdout.strip().splitlines()[-1]

    assert loaded("--help") == "[]"
    loaded("check", "content")  # computes the duplicate warnings and caches them
    assert loaded("check", "content") == "[]"
