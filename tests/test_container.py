"""The container image, the compose file and the lock files agree with pyproject.toml and CI.

There is no Docker daemon where the tests run, so the files are read: the image's Python is
the one the lock was resolved for, the one CI runs and one that requires-python allows; the
image installs the hash-checked runtime lock and runs ``champions-bot run`` as a user
without privileges; every file it copies exists; the locks hold exactly pyproject's
dependencies within their ranges; compose wires PostgreSQL and takes tokens only from the
environment.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
IMAGE_EXTRAS = ("sentry",)
"""The extras the image carries (inert until configured)."""


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            found.append((instruction.upper(), rest.strip()))
    return found


def lock(name: str) -> dict[str, tuple[Version, list[str]]]:
    """package → (version, hashes) of a pip-compile/uv lock file."""
    text = (ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")
    pinned: dict[str, tuple[Version, list[str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split(" --hash=")
        spec = Requirement(requirement.strip())
        (version,) = [Version(s.version) for s in spec.specifier if s.operator == "=="]
        pinned[canonicalize_name(spec.name)] = (version, [o.split()[0] for o in options])
    return pinned


def lock_python(name: str) -> str:
    header = (ROOT / name).read_text(encoding="utf-8").splitlines()[1]
    match = re.search(r"--python-version (\d+\.\d+)", header)
    assert match, f"{name} does not say which Python it was resolved for"
    return match.group(1)


def image_python() -> str:
    versions = set()
    for instruction, rest in dockerfile():
        if instruction == "FROM":
            match = re.fullmatch(r"python:(\d+\.\d+)-slim(?: AS \w+)?", rest, re.IGNORECASE)
            assert match, f"FROM {rest}: the image builds on python:X.Y-slim"
            versions.add(match.group(1))
    (version,) = versions
    return version


def runtime_requirements() -> list[Requirement]:
    extras = [r for extra in IMAGE_EXTRAS for r in PROJECT["optional-dependencies"][extra]]
    return [Requirement(r) for r in [*PROJECT["dependencies"], *extras]]


def dev_requirements() -> list[Requirement]:
    return [*runtime_requirements(), *map(Requirement, PROJECT["optional-dependencies"]["dev"])]


def test_one_python_for_the_image_the_locks_ci_and_the_tools() -> None:
    version = image_python()
    assert lock_python("requirements.lock") == lock_python("requirements-dev.lock") == version
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'PYTHON="${{PYTHON:-python{version}}}"' in ci
    assert f"LOCK_PYTHON := {version}" in (ROOT / "Makefile").read_text(encoding="utf-8")
    from packaging.specifiers import SpecifierSet

    assert Version(version) in SpecifierSet(PROJECT["requires-python"])
    assert PYPROJECT["tool"]["mypy"]["python_version"] == version
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + version.replace(".", "")


@pytest.mark.parametrize(
    ("lock_file", "requirements"),
    [("requirements.lock", runtime_requirements), ("requirements-dev.lock", dev_requirements)],
)
def test_the_locks_hold_pyprojects_dependencies_within_their_ranges(
    lock_file: str, requirements: Callable[[], list[Requirement]]
) -> None:
    pinned = lock(lock_file)
    assert all(hashes for _version, hashes in pinned.values()), "every pin is hash-checked"
    wanted = requirements()
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in {lock_file}: run `make lock`"
        version, _ = pinned[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock_file} pins {name}=={version}, outside pyproject's {requirement}"
        )
        # what the requested extras bring is locked too (e.g. python-telegram-bot[webhooks])
        for extra in requirement.extras:
            for needed in _extra_requirements(requirement.name, extra):
                assert canonicalize_name(needed.name) in pinned, (
                    f"{requirement.name}[{extra}] needs {needed.name}, not in {lock_file}"
                )
    if lock_file == "requirements.lock":
        dev = PROJECT["optional-dependencies"]["dev"]
        dev_only = {canonicalize_name(Requirement(r).name) for r in dev}
        assert not dev_only & set(pinned), "the image's lock carries no test tool"


def _extra_requirements(distribution: str, extra: str) -> list[Requirement]:
    """What ``distribution[extra]`` adds on Linux with the lock's Python (read from the
    installed package's metadata)."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment |= {"python_version": image_python(), "extra": extra}
    found = []
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker and "extra" in str(marker) and marker.evaluate(environment):
            found.append(requirement)
    return found


def test_the_image_installs_the_lock_and_runs_the_bot_as_a_plain_user() -> None:
    steps = dockerfile()
    runs = " ".join(rest for instruction, rest in steps if instruction == "RUN")
    assert "pip install --require-hashes --no-deps -r requirements.lock" in runs
    assert "pip install --no-deps ." in runs
    users = [rest for instruction, rest in steps if instruction == "USER"]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    last_user = max(i for i, (instruction, _) in enumerate(steps) if instruction == "USER")
    entry = [i for i, (instruction, _) in enumerate(steps) if instruction == "ENTRYPOINT"]
    assert entry and last_user < entry[0], "the entry point runs as the plain user"
    (entrypoint,) = [json.loads(rest) for instruction, rest in steps if instruction == "ENTRYPOINT"]
    (cmd,) = [json.loads(rest) for instruction, rest in steps if instruction == "CMD"]
    assert entrypoint + cmd == ["champions-bot", "run"]
    assert entrypoint[0] in PROJECT["scripts"]
    (healthcheck,) = [rest for instruction, rest in steps if instruction == "HEALTHCHECK"]
    assert healthcheck.endswith('CMD ["python", "-m", "bot.ops.probe"]')
    assert (ROOT / "bot" / "ops" / "probe.py").is_file()


def test_every_file_the_image_copies_exists_and_the_build_context_keeps_it() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    copied = []
    for instruction, rest in dockerfile():
        if instruction == "COPY" and not rest.startswith("--from"):
            *sources, _target = shlex.split(rest)
            copied += sources
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
        assert source not in ignored, f".dockerignore keeps {source} out of the build"
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= set(copied)


def test_compose_runs_postgresql_and_takes_tokens_from_the_environment() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:")
    assert bot["build"] == "." and bot["depends_on"]["db"]["condition"] == "service_healthy"
    environment = bot["environment"]
    url = environment["CHAMPIONS_BOT_DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@db:5432/" in url
    assert environment["CHAMPIONS_BOT_DATABASE_URL"].count("${POSTGRES_PASSWORD") == 1
    for secret in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"):
        assert environment[secret] == f"${{{secret}:-}}", f"{secret} only from the environment"
    assert bot["stdin_open"] is True and bot["tty"] is True  # the console without tokens
    (mount,) = bot["volumes"]
    source, target, _mode = mount.split(":")
    assert environment["CHAMPIONS_BOT_CONFIG"] == target
    settings = load_settings(ROOT / source)
    assert settings.logging.format == "json" and settings.telegram.listen == "0.0.0.0"
    # the HTTP server (and so the HEALTHCHECK) is on, reachable, and published
    assert settings.http is not None and settings.http.listen == "0.0.0.0"
    exposed = " ".join(rest for instruction, rest in dockerfile() if instruction == "EXPOSE")
    for port in (settings.http.port, settings.telegram.port):
        assert f"127.0.0.1:{port}:{port}" in bot["ports"] and str(port) in exposed.split()
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not (ROOT / ".env").exists() or ".env" in (ROOT / ".dockerignore").read_text()


def test_make_and_ci_install_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "LOCK := requirements-dev.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_pre_commit_runs_what_make_test_runs_with_the_venvs_tools() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = hooks["repos"]
    assert repo["repo"] == "local"
    entries = {hook["entry"].split()[0] for hook in repo["hooks"]}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    tools = {line.split()[0].replace("$(BIN)", ".venv/bin") for line in recipe.splitlines()}
    assert tools - {".venv/bin/pytest"} == entries
    assert all(hook["language"] == "system" for hook in repo["hooks"])


def test_contributing_gives_the_two_commands_and_links_the_guides() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    assert "(docs/adding-a-feature.md)" in text and ".pre-commit-config.yaml" in text
