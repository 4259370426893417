from __future__ import annotations

import pytest

from ddbmatrix.redact import MASK, redact, redact_argv, redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("http://user:secret@127.0.0.1:8000", "http://***@127.0.0.1:8000"),
        ("http://token@h:1/path?a=1&b=2#frag", "http://***@h:1/path?***#***"),
        ("https://h/x?X-Amz-Signature=abc", "https://h/x?***"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9"),
        ("http://a@b@h:1/", "http://***@h:1/"),
        ("not a url", "not a url"),
    ],
)
def test_redact_url(url, safe):
    assert redact_url(url) == safe


def test_urls_inside_text_are_redacted():
    text = 'Could not connect to the endpoint URL: "http://u:pw@127.0.0.1:1/?t=x"'
    assert (
        redact_text(text) == 'Could not connect to the endpoint URL: "http://***@127.0.0.1:1/?***"'
    )


def test_redact_argv_masks_secret_options_and_urls():
    argv = [
        "--ddb-endpoint",
        "mine=http://u:p@127.0.0.1:1",
        "--db-password",
        "hunter2",
        "--api-key=zz",
        "--SESSION-TOKEN=t",
        "--token",
        "-x",
        "--ddb-keep-logs",
        "tests/",
    ]
    assert redact_argv(argv) == [
        "--ddb-endpoint",
        "mine=http://***@127.0.0.1:1",
        "--db-password",
        MASK,
        "--api-key=***",
        "--SESSION-TOKEN=***",
        "--token",
        "-x",  # the option was a flag: the next argument is no value of it
        "--ddb-keep-logs",
        "tests/",
    ]


def test_redact_walks_json_data():
    data = {"a": ["http://u:p@h/"], "b": {"c": "x?y"}, "n": 1, "none": None}
    assert redact(data) == {"a": ["http://***@h/"], "b": {"c": "x?y"}, "n": 1, "none": None}
