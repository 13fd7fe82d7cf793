"""The dependency locks: every package pinned with hashes, and in step with pyproject.toml."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", re.MULTILINE)


def pins(lock_name):
    text = (ROOT / lock_name).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}, text


@pytest.mark.parametrize(
    ("lock_name", "requirements"),
    [
        ("requirements.lock", PYPROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_the_lock_pins_every_dependency_at_a_version_its_floor_allows(lock_name, requirements):
    pinned, _text = pins(lock_name)
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} missing: run `make lock`")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} outside {requirement.specifier}")
    assert problems == []


@pytest.mark.parametrize("lock_name", ["requirements.lock", "requirements-dev.lock"])
def test_every_pinned_package_carries_hashes(lock_name):
    _pinned, text = pins(lock_name)
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [block.split()[0] for block in blocks if "--hash=sha256:" not in block]
    assert unhashed == []
    assert len(blocks) > 15  # the whole tree, not only the direct dependencies


def test_the_install_uses_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert "-e ." not in makefile
