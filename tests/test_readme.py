"""The README documents every config key and every command-line option."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from pydantic import BaseModel

from crawler.cli import app
from crawler.config import Config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = field.alias or name
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            keys += config_keys(inner, f"{key}.")
        else:
            keys.append(prefix + key)
    return keys


def test_every_config_key_is_documented():
    missing = []
    for key in config_keys(Config):
        section, _, name = key.rpartition(".")
        # Documented as a row of the section's table: | `name` | … under "### [section]".
        block = re.search(rf"### `\[\[?{re.escape(section)}\]?\]`(.*?)(?=\n### |\Z)", README, re.S)
        if not block or f"`{name}`" not in block.group(1):
            missing.append(key)
    assert not missing, f"config keys missing from README: {missing}"


def test_every_command_and_option_is_documented():
    command = typer.main.get_command(app)
    missing = []
    for name, sub in command.commands.items():
        if f"passaparola {name}" not in README:
            missing.append(name)
        for param in sub.params:
            for option in param.opts:
                if option.startswith("--") and option not in README:
                    missing.append(f"{name} {option}")
    assert not missing, f"commands/options missing from README: {missing}"


def test_the_readme_gives_the_two_commands():
    assert "pip install -e . && passaparola demo" in README
    assert "pip install -e '.[test]' && ruff check . && ruff format --check . && pytest" in README
