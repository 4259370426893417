"""Render one JUnit XML file per backend, for the test tabs of CI systems.

A test case is one compat test on that backend, and its result is the backend's verdict in
the comparison, not the raw pytest outcome (pytest's own ``--junitxml`` gives that):

- agrees with the right side, differs from it in wording only (behaviour agrees; noted in
  ``<system-out>``), or nothing to compare it with: passed;
- diverges (or unsupported): ``<failure type="CLASS">`` with the verdict and the split;
- the backend failed (crashed, hung, start failed), the test's calls reached another
  server (``misrouted``), or the run was stopped in it (``interrupted``): ``<error
  type="KIND">``, a broken run rather than behaviour;
- skipped on that backend, or not compared anywhere: ``<skipped>``.

The pytest outcome is kept in the test case's ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

__all__ = ["MEANING", "render_junit"]

#: Said in every file's ``<testsuite>`` properties: CI test tabs show failures as test failures.
MEANING = (
    "A failure here is a divergence: on this backend the test behaved differently from the "
    "reference (real AWS if it took part, else the side the suite's assertions support, else "
    "the majority of backends). It is not a pytest failure; each test case's system-out holds "
    "the pytest outcome."
)


def _divergence_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["test"]: d for d in data["divergences"]}


def _failure(
    case: ET.Element, divergence: dict[str, Any], backend: str, titles: dict[str, str]
) -> None:
    group = next(g for g in divergence["groups"] if backend in g["backends"])
    key = group["class"] or (divergence["classes"] or ["divergent"])[0]
    # The reference group itself has no class when no side could be taken as right.
    split = " / ".join(", ".join(g["backends"]) for g in divergence["groups"])
    failure = ET.SubElement(
        case, "failure", type=key, message=f"{titles.get(key, key)}: {divergence['verdict']}"
    )
    failure.text = f"backends split: {split}\n{divergence['key']}"


def render_junit(data: dict[str, Any], backend: str) -> str:
    """Return the JUnit XML document of ``backend``."""
    titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
    divergences = _divergence_of(data)
    info = next(b for b in data["backends"] if b["name"] == backend)
    suite = ET.Element("testsuite", name=f"ddbmatrix {backend}")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="backend_version", value=str(info["version"]))
    ET.SubElement(properties, "property", name="meaning", value=MEANING)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for test_id, test in data["tests"].items():
        result = test["results"].get(backend)
        if result is None:
            continue
        path, _, name = test_id.partition("::")
        case = ET.SubElement(
            suite,
            "testcase",
            classname=path.removesuffix(".py").replace("/", "."),
            name=name or test_id,
            file=str(test["location"]["path"]),
            line=str(test["location"]["line"]),
        )
        counts["tests"] += 1
        verdict = result["verdict"]
        if verdict in ("diverge", "unsupported"):
            counts["failures"] += 1
            _failure(case, divergences[test_id], backend, titles)
        elif verdict in ("broken", "misrouted", "interrupted"):
            counts["errors"] += 1
            kind = info["broken_tests"].get(test_id, verdict)
            message = {
                "misrouted": "calls reached another server",
                "interrupted": "the run was stopped (or its worker lost) in this test",
            }.get(verdict, f"the backend {kind}")
            ET.SubElement(case, "error", type=kind, message=message)
        elif verdict in ("skipped", "not-compared"):
            counts["skipped"] += 1
            reason = test["not_compared"] if verdict == "not-compared" else verdict
            ET.SubElement(case, "skipped", message=str(reason))
        note = "; message wording differs from the right side" if verdict == "wording" else ""
        ET.SubElement(case, "system-out").text = f"pytest outcome: {result['outcome']}{note}"
    for name, value in counts.items():
        suite.set(name, str(value))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
