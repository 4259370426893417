"""Every code block of the README and the usage docs runs, so the docs cannot rot.

A fenced block's info string is its language, then tags:

- ``python``: a test file; ``python file=NAME`` a module or conftest the tests import;
  ``python diverges=BACKEND[,BACKEND]``: a test file whose tests must diverge there (be
  ``xfailed`` through ``ddb_diverges``) and pass on every other backend;
- ``toml file=pyproject.toml``, ``ini file=pytest.ini``, ``json file=...``, ``yaml file=...``:
  files of the project;
- ``shell``: commands, each checked against the parser of the program it runs
  (ddbmatrix's own CLI, pytest with the plugin loaded, pip's extras, nox's sessions, tox's
  environments);
- ``fragment``: a piece of a file or an output, only parsed (``text`` blocks must be one).

The blocks under one heading make one small project, run with pytester on every backend
installed here (moto in ``nox -s tests``; all of them in ``nox -s docs``, which sets
``DDBMATRIX_DOCS_BACKENDS=all``): every test must pass, or be a noted divergence, or be
skipped by a marker.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import yaml

from ddbmatrix.backends import resolve_backends
from ddbmatrix.cli import _parser as ddbmatrix_parser
from ddbmatrix.defaults import installed_backends
from ddbmatrix.templates import _yaml_loader
from ddbmatrix.toolchain import NPM_DIR_ENV, npm_root
from tests.unit.sessions import load_noxfile, tox_config

ROOT = Path(__file__).parents[2]
DOCS = [
    ROOT / "docs" / "usage.md",
    ROOT / "README.md",
    ROOT / "examples" / "people" / "README.md",
]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
_FENCE = re.compile(r"^(`{3,})(.*)$")
_HEADING = re.compile(r"^#{2,6} ")
_LANGUAGES = {"python", "toml", "ini", "json", "yaml", "shell", "text"}


@dataclass
class Block:
    path: Path
    line: int
    language: str
    tags: dict[str, str]
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def fragment(self) -> bool:
        return "fragment" in self.tags


@dataclass
class Section:
    path: Path
    heading: str
    blocks: list[Block] = field(default_factory=list)


def parse(path: Path) -> list[Section]:
    """Split a Markdown file into sections (by heading) of fenced code blocks."""
    sections = [Section(path, "(top)")]
    lines = path.read_text().splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if _HEADING.match(line):
            sections.append(Section(path, line.lstrip("# ")))
            continue
        fence = _FENCE.match(line)
        if not fence:
            continue
        start, words = number, fence.group(2).split()
        body = []
        while not lines[number].startswith(fence.group(1)):
            body.append(lines[number])
            number += 1
        number += 1
        language, tags = (words[0] if words else ""), {}
        for word in words[1:]:
            key, _, value = word.partition("=")
            tags[key] = value
        block = Block(path, start, language, tags, "\n".join(body) + "\n")
        sections[-1].blocks.append(block)
    return sections


SECTIONS = [section for doc in DOCS for section in parse(doc)]
BLOCKS = [block for section in SECTIONS for block in section.blocks]


def test_the_docs_have_code_blocks():
    assert len(BLOCKS) > 30


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.where)
def test_every_block_is_tagged_and_parses(block):
    assert block.language in _LANGUAGES, f"{block.where}: untagged or unknown language"
    assert set(block.tags) <= {"file", "fragment", "diverges"}, f"{block.where}: unknown tag"
    if "diverges" in block.tags:
        assert block.language == "python", block.where
        assert "file" not in block.tags, block.where
        assert "ddb_diverges" in block.text, f"{block.where}: diverges= without ddb_diverges"
    if block.language == "text":
        assert block.fragment, f"{block.where}: a text block is output; tag it fragment"
    if block.language in ("json", "yaml") and not block.fragment:
        assert block.tags.get("file"), f"{block.where}: a {block.language} file needs file="
    if block.language == "python":
        compile(block.text, block.where, "exec")
    elif block.language == "toml":
        tomllib.loads(block.text)
    elif block.language == "ini":
        configparser.ConfigParser().read_string(block.text)
    elif block.language == "json":
        json.loads(block.text)
    elif block.language == "yaml":
        yaml.load(block.text, Loader=_yaml_loader())


# -- shell blocks ----------------------------------------------------------------------------


def commands(block: Block) -> list[list[str]]:
    """Return each command of a shell block as words, without VAR=value prefixes."""
    found = []
    for line in block.text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        for command in re.split(r"&&|\|\||;", line):
            words = shlex.split(command)
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                words.pop(0)
            if words:
                found.append(words)
    return found


COMMANDS = [
    (section, block, words)
    for section in SECTIONS
    for block in section.blocks
    if block.language == "shell"
    for words in commands(block)
]
_TOX_COMMANDS = {"run", "r", "run-parallel", "p", "config", "c", "list", "l"}


def _check_tox(section: Section, args: list[str], pytester: pytest.Pytester) -> None:
    """The subcommand exists, and every -e environment is one the section's tox.toml has."""
    assert args, "tox with no command"
    assert args[0] in _TOX_COMMANDS or args[0] == "-e", args
    toml = [b for b in section.blocks if b.tags.get("file") == "tox.toml"]
    root = ROOT
    if toml:
        (pytester.path / "tox.toml").write_text(toml[0].text)
        root = pytester.path
    if "-e" in args:
        wanted = args[args.index("-e") + 1].split(",")
        assert set(wanted) <= set(tox_config(root)), f"{section.heading}: {wanted}"


@pytest.mark.parametrize(
    ("section", "block", "words"),
    COMMANDS,
    ids=[f"{b.where}:{' '.join(w)[:40]}" for _, b, w in COMMANDS],
)
def test_shell_commands_are_valid(section, block, words, pytester):
    program, args = words[0], words[1:]
    if program == "ddbmatrix":
        ddbmatrix_parser().parse_args(args)
    elif program == "pytest":
        config = pytester.parseconfig(*args)  # an unknown option is a UsageError
        resolve_backends(config.getoption("ddb_backend") or "all")
    elif program == "pip":
        assert args[0] == "install", block.where
        extras = PYPROJECT["project"]["optional-dependencies"]
        for requirement in args[1:]:
            match = re.fullmatch(r"ddbmatrix\[([\w,-]+)\]", requirement)
            if match:
                assert set(match.group(1).split(",")) <= set(extras), block.where
    elif program == "nox":
        assert args[0] == "-s", block.where
        assert set(args[1:]) <= load_noxfile().sessions, block.where
    elif program == "tox":
        _check_tox(section, args, pytester)
    elif program == "cat":
        assert args, block.where
    else:
        pytest.fail(f"{block.where}: no check for {program!r}; add one to test_docs.py")


# -- the projects the sections make ----------------------------------------------------------

_DEFAULT_FILES = {"toml": "pyproject.toml", "ini": "pytest.ini"}
RUNNABLE = [
    section
    for section in SECTIONS
    if any(
        b.language == "python" and not b.fragment and "file" not in b.tags for b in section.blocks
    )
    or any(b.language in _DEFAULT_FILES and not b.fragment for b in section.blocks)
]


#: Resolved now, before pytester points HOME (and with it the default cache) elsewhere.
CACHE = {
    NPM_DIR_ENV: str(npm_root()),
    "XDG_CACHE_HOME": str(platformdirs.user_cache_path("ddbmatrix").parent),
}


@pytest.fixture
def installed_here(monkeypatch):
    """Let the pytest runs of the sections find the emulators installed on this machine."""
    for name, value in CACHE.items():
        monkeypatch.setenv(name, value)


def docs_backends() -> list[str]:
    """Return the backends the sections run on: DDBMATRIX_DOCS_BACKENDS, else those installed."""
    named = os.environ.get("DDBMATRIX_DOCS_BACKENDS")
    return resolve_backends(named) if named else installed_backends()[0]


def run_outcomes(project: Path) -> dict[str, dict[str, str]]:
    """Return backend -> test id -> outcome, from the run files the project wrote."""
    runs = {}
    for path in (project / "reports" / "runs").glob("*.json"):
        run = json.loads(path.read_text())
        runs[run["backend"]] = {test["id"]: test["outcome"] for test in run["tests"]}
    return runs


@pytest.mark.parametrize("section", RUNNABLE, ids=[f"{s.path.name}:{s.heading}" for s in RUNNABLE])
def test_each_section_runs_on_every_backend(section, pytester, installed_here):
    backends = docs_backends()
    assert "moto" in backends
    tests = 0
    diverging: dict[str, list[str]] = {}  # test file -> backends its tests diverge on
    for block in section.blocks:
        if block.fragment or block.language in ("shell", "text"):
            continue
        name = block.tags.get("file") or _DEFAULT_FILES.get(block.language)
        if name is None:  # a python test file
            tests += 1
            name = f"test_doc_{block.line}.py"
            if "diverges" in block.tags:
                diverging[name] = block.tags["diverges"].split(",")
        target = pytester.path / name
        assert not target.exists(), f"{block.where}: {name} is written twice in one section"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text)
    if not tests:  # configuration only: it must load, strictly
        pytester.makepyfile(test_config="def test_config(ddb_backend):\n    pass\n")
    result = pytester.runpytest_subprocess(
        f"--ddb-backend={','.join(backends)}",
        "--strict-config",
        "--strict-markers",
        "-p",
        "no:randomly",
        "-rA",
    )
    outcomes = result.parseoutcomes()
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert outcomes.get("passed", 0) + outcomes.get("xfailed", 0) >= 1, outcomes
    runs = run_outcomes(pytester.path)
    for name, expected in diverging.items():
        for backend, by_test in runs.items():
            found = {o for test_id, o in by_test.items() if test_id.startswith(f"{name}::")}
            assert found == ({"xfailed"} if backend in expected else {"passed"}), (name, backend)
        assert set(expected) & set(runs), f"{name}: diverges on {expected}, none of which ran"
