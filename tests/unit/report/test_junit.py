from __future__ import annotations

import xml.etree.ElementTree as ET

from ddbmatrix.report.junit import render_junit


def _cases(data, backend):
    suite = ET.fromstring(render_junit(data, backend))
    return suite, {case.get("name"): case for case in suite.iter("testcase")}


def test_each_backend_gets_its_divergences_as_failures(sample_data):
    suite, cases = _cases(sample_data, "moto")
    assert suite.get("name") == "ddbmatrix moto"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "2", "1")
    failure = cases["test_number"].find("failure")
    assert failure.get("type") == "content"
    assert failure.get("message").startswith("result content differs: an assertion failed")
    assert cases["test_order"].find("failure").get("type") == "order"
    assert cases["test_same"].find("failure") is None
    assert cases["test_scan_order"].find("failure") is None  # informational
    assert cases["test_same"].get("classname") == "tests.compat.test_items"


def test_wording_only_passes_with_a_note(sample_data):
    _, local = _cases(sample_data, "dynamodb-local")
    assert local["test_wording"].find("failure") is None
    assert "wording differs" in local["test_wording"].find("system-out").text


def test_a_backend_failure_is_an_error_and_an_unsupported_operation_a_failure(sample_data):
    _, moto = _cases(sample_data, "moto")
    assert moto["test_crash"].find("error").get("type") == "crashed"
    _, dynalite = _cases(sample_data, "dynalite")
    assert dynalite["test_partiql"].find("failure").get("type") == "unsupported"
    assert dynalite["test_partiql"].find("system-out").text == "pytest outcome: raised"


def test_the_suite_says_a_failure_is_a_divergence_not_a_pytest_failure(sample_data):
    suite, _ = _cases(sample_data, "moto")
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert "is a divergence" in properties["meaning"]
    assert "not a pytest failure" in properties["meaning"]
