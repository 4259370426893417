"""Every option is checked at start-up: one UsageError naming the option and what it accepts.

The checks run on a parsed configuration here (``pytester.parseconfig``, no run); that a
real run stops with them before any test or server is shown end to end in
tests/integration/test_inputs_edge.py.
"""

from __future__ import annotations

import pytest

from ddbmatrix.options import CHECKS, check_options, endpoints, named_backends


def _refused(pytester: pytest.Pytester, *args: str) -> str:
    config = pytester.parseconfig(*args)
    with pytest.raises(pytest.UsageError) as raised:
        check_options(config)
    message = str(raised.value)
    assert "\n" not in message
    return message


def _accepted(pytester: pytest.Pytester, *args: str) -> pytest.Config:
    config = pytester.parseconfig(*args)
    check_options(config)
    return config


@pytest.mark.parametrize("value", ["0", "-1", "-0.5", "nan", "inf", "-inf"])
def test_the_call_timeout_is_a_positive_finite_number(pytester, value):
    message = _refused(pytester, f"--ddb-call-timeout={value}")
    assert message.startswith("ddbmatrix: --ddb-call-timeout: ")
    assert "accepted: a positive number of seconds" in message


def test_the_ini_twin_is_checked_and_named_as_such(pytester):
    pytester.makeini("[pytest]\nddb_call_timeout = soon\n")
    assert _refused(pytester).startswith("ddbmatrix: ini ddb_call_timeout: 'soon' is not a number")


@pytest.mark.parametrize("value", ["0.5", "30", "1e3"])
def test_a_positive_call_timeout_is_accepted(pytester, value):
    _accepted(pytester, f"--ddb-call-timeout={value}")


@pytest.mark.parametrize("args", [["--ddb-backend=,"], ["--ddb-backend="], ["--ddb-backend= , "]])
def test_a_backend_option_naming_nothing_is_refused(pytester, args):
    assert "--ddb-backend: it names no backend" in _refused(pytester, *args)


def test_an_ini_backend_list_naming_nothing_is_refused_but_an_empty_one_is_the_default(pytester):
    pytester.makeini("[pytest]\nddb_backend = ,\n")
    assert "ini ddb_backend: it names no backend" in _refused(pytester)
    pytester.makeini("[pytest]\nddb_backend =\n")
    assert named_backends(_accepted(pytester)) is None  # every installed backend


def test_an_unknown_backend_is_refused_naming_the_known_ones(pytester):
    message = _refused(pytester, "--ddb-backend=moto,dynamo")
    assert "--ddb-backend: unknown backend 'dynamo'; choose from: dynalite" in message


def test_a_backend_may_be_an_endpoint_given_in_the_same_run(pytester):
    config = _accepted(pytester, "--ddb-backend=mine", "--ddb-endpoint=mine=http://127.0.0.1:9")
    assert named_backends(config) == ["mine"]
    assert endpoints(config) == [("mine", "http://127.0.0.1:9")]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("all=http://127.0.0.1:9", "the name 'all' is taken"),
        ("moto=http://127.0.0.1:9", "the name 'moto' is taken"),
        ("aws=http://127.0.0.1:9", "the name 'aws' is taken"),
        ("no-backend=http://127.0.0.1:9", "the name 'no-backend' is taken"),
        ("../../evil=http://127.0.0.1:9", "the name '../../evil' is not a backend name"),
        ("Local=http://127.0.0.1:9", "the name 'Local' is not a backend name"),
        ("x=ftp://127.0.0.1:9", "not an http(s) URL"),
        ("x=http://127.0.0.1:99999", "not a URL"),
        ("x=127.0.0.1:9", "not an http(s) URL"),
        ("x=https://dynamodb.us-east-1.amazonaws.com.", "is real AWS"),
        ("x=http://192.168.1.5:8000", "192.168.1.5 is not this machine"),
        ("x=http://0.0.0.0:8000", "is not this machine"),
        ("x", "expected NAME=URL"),
    ],
)
def test_bad_endpoints_are_refused_with_the_fix(pytester, spec, message):
    refused = _refused(pytester, f"--ddb-endpoint={spec}")
    assert refused.startswith(f"ddbmatrix: --ddb-endpoint {spec!r}: ")
    assert message in refused


def test_the_fix_for_a_taken_name_is_a_name_of_its_own(pytester):
    assert "e.g. --ddb-endpoint my-all=URL" in _refused(pytester, "--ddb-endpoint=all=http://h:1")


def test_one_name_for_two_urls_is_refused(pytester):
    message = _refused(
        pytester, "--ddb-endpoint=x=http://127.0.0.1:1", "--ddb-endpoint=x=http://127.0.0.1:2"
    )
    assert "'x' is given twice" in message


def test_an_endpoint_off_this_machine_is_allowed_when_aws_is_asked_for(pytester):
    # Off the machine is only for runs that reach AWS at all; AWS itself is never an endpoint.
    _accepted(pytester, "--ddb-backend=aws", "--ddb-endpoint=x=http://192.168.1.5:8000")
    assert "is real AWS" in _refused(
        pytester, "--ddb-backend=aws", "--ddb-endpoint=x=https://DynamoDB.eu-west-1.amazonaws.com"
    )


def test_a_runs_folder_that_is_a_file_is_refused(pytester):
    (pytester.path / "runs").write_text("")
    assert "--ddb-runs-dir: it is a file, not a folder" in _refused(pytester, "--ddb-runs-dir=runs")
    assert "is a file, not a folder" in _refused(pytester, "--ddb-runs-dir=runs/deeper")


def test_a_runs_folder_that_does_not_exist_yet_is_accepted_and_not_created(pytester):
    _accepted(pytester, "--ddb-runs-dir=new/runs")
    assert not (pytester.path / "new").exists()


def test_the_scope_names_the_choices(pytester):
    message = _refused(pytester, "--ddb-scope=wide")
    assert message.startswith("--ddb-scope 'wide': choose one of function, class, module, package")


@pytest.mark.parametrize("name", ["ddb_keep_logs", "ddb_failures_as_data"])
def test_a_flag_in_the_ini_file_is_true_or_false(pytester, name):
    pytester.makeini(f"[pytest]\n{name} = maybe\n")
    message = _refused(pytester)
    assert message.startswith(f"ddbmatrix: ini {name}: ")
    assert message.endswith("'maybe'; accepted: true or false")


def test_every_option_of_the_plugin_has_a_check(pytester):
    config = pytester.parseconfig()
    flags = {
        option.dest
        for option in config._parser.getgroup("ddbmatrix").options
        if option.dest.startswith("ddb_")
    }
    assert flags == {check.name for check in CHECKS}
