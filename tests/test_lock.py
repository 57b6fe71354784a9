"""The lock files install what pyproject.toml asks for.

`make install` reads requirements.lock and `make install-dev`
requirements-dev.lock, not pyproject.toml: a dependency added or moved
there without `make lock` would be missing from every fresh install.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(.*)$")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path):
    text = (ROOT / path).read_text()
    pins = {canonical(name): version for name, version in PIN.findall(text)}
    # Every pin carries its hashes (pip and uv refuse the file otherwise).
    assert text.count("--hash=sha256:") >= len(pins)
    return pins


def declared(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    if extra:
        requirements += project["optional-dependencies"][extra]
    return requirements


@pytest.mark.parametrize(
    ("lock", "extra"), [("requirements.lock", None), ("requirements-dev.lock", "dev")]
)
def test_every_declared_dependency_is_locked_at_its_pin(lock, extra):
    pins = locked(lock)
    for requirement in declared(extra):
        name, spec = REQUIREMENT.match(requirement).groups()
        assert canonical(name) in pins, f"{name} is missing from {lock}: run make lock"
        exact = re.fullmatch(r"==\s*([^\s,;]+)", spec.strip())
        if exact:
            assert pins[canonical(name)] == exact.group(1), f"{name}: run make lock"


def test_the_runtime_lock_has_no_test_tools():
    runtime = locked("requirements.lock")
    for requirement in declared("dev")[len(declared()) :]:
        name = canonical(REQUIREMENT.match(requirement).group(1))
        assert name not in runtime, f"{name} is a dev tool but in requirements.lock"
