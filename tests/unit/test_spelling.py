"""Misspelled ddbmatrix ini keys and options are one-line errors at start-up."""

from __future__ import annotations

import pytest

from ddbmatrix.spelling import closest

TEST = "def test_it(declared_tables):\n    assert declared_tables['People']\n"


@pytest.fixture
def project(pytester):
    pytester.makepyfile(test_it=TEST)
    return pytester


def one_error(result) -> str:
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines = [line for line in result.stderr.lines if line.strip()]
    assert len(lines) == 1, result.stderr.str()
    assert "Traceback" not in result.stdout.str()
    return lines[0]


def test_a_misspelled_ini_key_names_the_key_it_meant(project):
    ini = "[pytest]\nddb_backend = moto\nddb_declared_table =\n    People  PK:S\n"
    (project.path / "pytest.ini").write_text(ini)
    assert one_error(project.runpytest_subprocess()) == (
        "ERROR: ddbmatrix: unknown ini key 'ddb_declared_table' in pytest.ini: did you mean "
        "'ddb_declared_tables'?"
    )


def test_a_misspelled_key_in_pyproject_or_an_override_is_caught_too(project):
    project.makepyprojecttoml('[tool.pytest.ini_options]\nddb_runs_dirs = "out"\n')
    error = one_error(project.runpytest_subprocess("--ddb-backend=moto"))
    assert "'ddb_runs_dirs' in pyproject.toml: did you mean 'ddb_runs_dir'?" in error
    error = one_error(project.runpytest_subprocess("--ddb-backend=moto", "-o", "ddb_keeplogs=1"))
    assert "'ddb_keeplogs'" in error
    assert "'ddb_keep_logs'" in error


def test_an_unknown_key_of_ours_lists_our_keys(project):
    project.makeini("[pytest]\nddb_colour = blue\n")
    error = one_error(project.runpytest_subprocess())
    assert "unknown ini key 'ddb_colour'" in error
    assert "ddb_backend, " in error


def test_other_plugins_keys_are_left_to_pytest(project):
    project.makeini("[pytest]\nddb_backend = moto\nsome_other_plugin_key = 1\n")
    project.makepyfile(test_it="def test_it(ddb_backend):\n    pass\n")
    result = project.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*Unknown config option: some_other_plugin_key*"])


def test_a_misspelled_option_names_the_option_it_meant(project):
    error = one_error(project.runpytest_subprocess("--ddb-backends=moto"))
    assert error == "ERROR: ddbmatrix: unknown option --ddb-backends: did you mean --ddb-backend?"


def test_a_missing_seed_file_is_one_error_naming_the_key_table_and_file(project):
    project.makeini(
        "[pytest]\nddb_backend = moto\nddb_declared_tables =\n    People  PK:S  seed=people.json\n"
    )
    error = one_error(project.runpytest_subprocess())
    assert error.startswith("ERROR: ddbmatrix: ddb_declared_tables: table 'People': seed ")
    assert f"{project.path / 'people.json'}: cannot read it (No such file or directory)" in error


def test_a_broken_seed_file_is_one_error_too(project):
    project.makeini(
        "[pytest]\nddb_backend = moto\nddb_declared_tables =\n    People  PK:S  seed=people.json\n"
    )
    (project.path / "people.json").write_text("[{")
    assert "not valid JSON" in one_error(project.runpytest_subprocess())


def test_closest_matches_only_close_names():
    known = ["ddb_backend", "ddb_declared_tables", "ddb_runs_dir"]
    assert closest("ddb_declared_table", known) == "ddb_declared_tables"
    assert closest("ddb_backends", known) == "ddb_backend"
    assert closest("timeout", known) is None
