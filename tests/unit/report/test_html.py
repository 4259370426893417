"""The HTML report, checked in a real browser: what a reader sees and what a click does."""

from __future__ import annotations

import base64
import json
import re
import shutil
import zlib
from html.parser import HTMLParser

import pytest
from benchmarks.report_scale import scale_runs

from ddbmatrix.report import ReportOptions, build_report
from ddbmatrix.report.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Flags that work in containers and CI; no profile, no background traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (the test dependency group)"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def report(browser, sample_paths, tmp_path):
    """The sample report opened in Chromium; also records every URL the page asks for."""
    build_report(
        sample_paths,
        ReportOptions(
            out=tmp_path / "out", source_url="https://example.test/blob/abc/{path}#L{line}"
        ),
    )
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((tmp_path / "out" / "divergence.html").as_uri())
    yield page, requested
    page.close()


def _visible_tests(page):
    shown = page.locator("#divergence-list details.divergence >> visible=true")
    return [name.split("::")[1] for name in shown.evaluate_all("ds => ds.map(d => d.dataset.test)")]


def test_the_matrix_shows_every_backend_and_area(report):
    page, requested = report
    matrix = page.locator("#matrix")
    assert matrix.is_visible()
    assert matrix.locator("thead th").all_inner_texts() == [
        "area",
        "dynalite",
        "dynamodb-local",
        "moto",
    ]
    assert matrix.locator("tbody tr th").all_inner_texts() == ["items", "query", "scan"]
    assert page.locator("#shown").inner_text() == "4 of 4 divergences shown"
    assert [url for url in requested if not url.startswith("file://")] == []


def test_unchecking_a_backend_hides_its_column_and_the_divergences_only_it_had(report):
    page, _ = report
    page.locator("input.f-backend[value=moto]").uncheck()
    assert not page.locator('#matrix th[data-backend="moto"]').is_visible()
    assert not page.locator('#matrix td[data-backend="moto"]').first.is_visible()
    assert page.locator('#matrix th[data-backend="dynalite"]').is_visible()
    # test_number and test_order were moto against the rest; the others still split.
    assert _visible_tests(page) == ["test_partiql", "test_wording"]
    assert page.locator("#shown").inner_text() == "2 of 4 divergences shown"
    page.locator("input.f-backend[value=moto]").check()
    assert page.locator('#matrix th[data-backend="moto"]').is_visible()
    assert len(_visible_tests(page)) == 4


def test_area_and_class_filters(report):
    page, _ = report
    page.locator("#f-area").select_option("scan")
    assert _visible_tests(page) == ["test_order"]
    page.locator("#f-area").select_option("")
    page.locator("input.f-class[value=content]").uncheck()
    assert "test_number" not in _visible_tests(page)
    page.locator("#matrix a[data-area-link=query]").click()
    assert _visible_tests(page) == ["test_partiql", "test_wording"]


def test_a_divergence_expands_to_the_calls_side_by_side_with_differences_marked(report):
    page, _ = report
    divergence = page.locator('details.divergence[data-test$="::test_number"]')
    assert not divergence.locator("table.side").is_visible()
    divergence.locator("> summary").click()
    side = divergence.locator("table.side")
    side.wait_for()  # the detail is drawn when the test is opened
    assert side.is_visible()
    assert side.locator(".colhead").all_inner_texts() == ["dynalite, dynamodb-local", "moto"]
    assert [text.strip() for text in side.locator("span.chg").all_inner_texts()] == [
        '"N": "1.5"',
        '"N": "01.500"',
    ]
    assert divergence.locator("a.source").get_attribute("href") == (
        "https://example.test/blob/abc/tests/compat/test_items.py#L1"
    )


def test_the_page_opens_with_the_root_causes_and_a_cause_leads_to_its_tests(report):
    page, _ = report
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Root causes", "Scores", "Compatibility by area"]
    cause = page.locator("ol.causes > li").nth(1)
    assert "moto returns other values in GetItem" in cause.inner_text()
    cause.locator("summary").click()
    cause.locator("ul.cause-tests a").first.click()
    divergence = page.locator('details.divergence[data-test$="::test_number"]')
    assert divergence.get_attribute("open") is not None
    divergence.locator("ol.calls.decisive table.side").wait_for()


def test_the_decisive_call_is_shown_and_the_other_calls_are_collapsed(report):
    page, _ = report
    divergence = page.locator('details.divergence[data-test$="::test_partiql"]')
    divergence.locator("> summary").click()
    divergence.locator("h4.decisive").wait_for()
    assert "The decisive call" in divergence.inner_text()
    assert divergence.locator("ol.calls.decisive li.call.differs").count() == 1
    assert divergence.locator("details.other-calls").count() == 0  # one call only


def test_wording_differences_are_one_family_per_backend_and_code(report):
    page, _ = report
    (family,) = page.locator("ul.wording > li").all()
    assert family.locator("> details > summary").inner_text() == (
        "dynamodb-local words ValidationException messages otherwise than dynalite, moto "
        "(1 wording) — 1 test"
    )
    behaviour = page.locator("#causes > ol.causes > li").all_inner_texts()
    assert not [text for text in behaviour if "words" in text]


def test_informational_tests_are_shown_apart(report):
    page, _ = report
    section = page.locator("#informational")
    assert section.locator("details.divergence").evaluate_all(
        "ds => ds.map(d => d.dataset.test.split('::')[1])"
    ) == ["test_scan_order"]
    legend = page.locator("#legend").inner_text()
    assert "scan-order (informational)" in legend


def test_text_is_escaped_not_interpreted(sample_data, tmp_path):
    sample_data["divergences"][0]["groups"][0]["message"] = "<script>alert(1)</script>"
    sample_data["divergences"][0]["groups"][0]["outcome"] = "failed"
    sample_data["divergences"][0]["test"] += "</script><script>alert(2)</script>"

    class Scripts(HTMLParser):
        code = 0
        data = 0

        def handle_starttag(self, tag, attrs):
            if tag == "script":  # only a script without a type runs; the others hold data
                kind = dict(attrs).get("type")
                self.code += kind is None
                self.data += kind in ("application/json", "text/plain")

    parser = Scripts()
    parser.feed(render_html(sample_data, tmp_path))
    assert parser.code == 1
    # the index, and one detail per divergence and informational test
    assert parser.data == 1 + len(sample_data["divergences"]) + len(sample_data["informational"])


def test_a_message_is_shown_as_text_when_its_test_is_opened(browser, sample_data, tmp_path):
    divergence = sample_data["divergences"][0]
    divergence["groups"][0]["message"] = "<img src=x onerror=alert(1)>"
    divergence["groups"][0]["outcome"] = "failed"
    (tmp_path / "divergence.html").write_text(render_html(sample_data, tmp_path), "utf-8")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((tmp_path / "divergence.html").as_uri() + "#" + divergence["id"])
    message = page.locator(f'[id="{divergence["id"]}"] pre.message').first
    message.wait_for()
    assert message.inner_text() == "<img src=x onerror=alert(1)>"
    assert dialogs == []
    page.close()


def test_a_long_list_is_drawn_a_page_at_a_time_and_every_test_stays_in_reach(
    browser, sample_paths, tmp_path
):
    result = build_report(
        scale_runs(sample_paths, 70, tmp_path / "runs"), ReportOptions(out=tmp_path)
    )
    divergences = result.data["divergences"]
    assert len(divergences) == 280
    last = divergences[-1]
    page = browser.new_page()
    page.goto((tmp_path / "divergence.html").as_uri())
    listed = page.locator("#divergence-list > details.divergence")
    assert listed.count() == 200
    assert page.locator("#shown").inner_text() == "280 of 280 divergences shown"
    more = page.locator('button[data-more="divergences"]')
    assert more.inner_text() == "show 80 more of 80"
    more.click()
    assert listed.count() == 280
    assert not more.is_visible()
    page.reload()
    page.locator("#f-text").fill(last["test"])  # beyond the first page
    assert _visible_tests(page) == [last["test"].split("::")[1]]
    page.goto((tmp_path / "divergence.html").as_uri() + "#" + last["id"])
    page.reload()  # a link to a test beyond the first page draws and opens it
    opened = page.locator(f'details.divergence[id="{last["id"]}"]')
    opened.locator("p.verdict").wait_for()
    assert opened.get_attribute("open") is not None
    page.close()


def _details(html: str) -> dict[str, dict]:
    """Each divergence's detail as the page embeds it (deflated JSON in base64)."""
    found = re.findall(
        r'<script type="text/plain" class="detail" id="x-([^"]+)">([^<]*)</script>', html
    )
    return {key: json.loads(zlib.decompress(base64.b64decode(packed))) for key, packed in found}


def test_each_test_s_detail_is_embedded_with_its_link_relative_to_the_report(
    sample_data, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    details = _details(render_html(sample_data, tmp_path / "reports"))
    shown = [*sample_data["divergences"], *sample_data["informational"]]
    assert sorted(details) == sorted(d["id"] for d in shown)
    number = next(d for d in shown if d["test"].endswith("::test_number"))
    detail = details[number["id"]]
    assert detail["source"] == "../tests/compat/test_items.py#L1"
    assert detail["verdict"] == number["verdict"]
    assert [g["backends"] for g in detail["groups"]] == [g["backends"] for g in number["groups"]]
