"""The README says what the code does: its two commands first, and every variable settings read."""

from __future__ import annotations

import re

from tests.conftest import REPO_DIR
from tests.test_compose import settings_variables


def readme() -> str:
    return (REPO_DIR / "README.md").read_text()


def test_the_readme_opens_with_the_two_commands() -> None:
    first_block = readme().split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()[1:]]
    assert commands == ["make run", "make test"]


def test_every_setting_variable_is_documented() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)`", readme(), flags=re.MULTILINE))
    assert settings_variables() <= documented, settings_variables() - documented


def test_the_make_targets_the_readme_names_exist() -> None:
    makefile = (REPO_DIR / "Makefile").read_text()
    for target in set(re.findall(r"^make (\w+)", readme(), flags=re.MULTILINE)):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target
