from __future__ import annotations

import json

import pytest

from ddbmatrix.sharding import Shard, parse_shard, run_file_name


def test_every_test_lands_in_exactly_one_shard_and_the_split_is_stable():
    ids = [f"tests/compat/test_x.py::test_{n}" for n in range(300)]
    shards = [Shard(index, 3) for index in (1, 2, 3)]
    owners = [[shard.index for shard in shards if shard.holds(test_id)] for test_id in ids]
    assert all(len(owner) == 1 for owner in owners)
    sizes = [sum(owner == [index] for owner in owners) for index in (1, 2, 3)]
    assert min(sizes) > 60  # a hash spreads tests; none of 3 shards is near empty
    # Fixed by the id alone (SHA-256, not the per-process salted hash()): a known answer.
    assert [Shard(i, 3).holds("tests/compat/test_items.py::test_put") for i in (1, 2, 3)] == [
        False,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2/3", Shard(2, 3)), (" 1 / 4 ", Shard(1, 4)), ("1/1", None), ("", None)],
)
def test_parse_shard(value, expected):
    assert parse_shard(value) == expected


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_a_usage_error_naming_the_form(value):
    with pytest.raises(pytest.UsageError, match=r"expected i/n with 1 <= i <= n"):
        parse_shard(value)


def test_run_file_names_differ_per_shard():
    assert run_file_name("moto", None) == "moto.json"
    assert run_file_name("moto", Shard(2, 3)) == "moto.shard-2-of-3.json"


SUITE = """
import pytest

@pytest.mark.parametrize("n", range(12))
def test_n(ddb_backend, n):
    pass

def test_plain():
    pass
"""


def _collected(pytester, *args):
    result = pytester.runpytest("--ddb-backend=moto", "--collect-only", "-q", *args)
    return sorted(line for line in result.outlines if "::" in line)


def test_the_shards_of_a_suite_partition_it(pytester):
    pytester.makepyfile(test_suite=SUITE)
    everything = _collected(pytester)
    shards = [_collected(pytester, f"--ddb-shard={index}/3") for index in (1, 2, 3)]
    assert sorted(name for shard in shards for name in shard) == everything
    assert all(shards)


def test_a_shard_writes_its_own_run_file_saying_which_shard_it_is(pytester):
    pytester.makepyfile(test_suite=SUITE)
    pytester.runpytest_inprocess("--ddb-backend=moto", "--ddb-shard=2/3")
    runs = pytester.path / "reports" / "runs"
    assert [path.name for path in runs.iterdir()] == ["moto.shard-2-of-3.json"]
    run = json.loads((runs / "moto.shard-2-of-3.json").read_text())
    assert run["shard"] == {"index": 2, "count": 3}
    assert run["tests"]
    assert all(Shard(2, 3).holds(test["id"]) for test in run["tests"])


def test_the_ini_twin_shards_too(pytester):
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeini("[pytest]\nddb_shard = 1/3\n")
    assert _collected(pytester) == _collected(pytester, "--ddb-shard=1/3")
    assert len(_collected(pytester)) < len(_collected(pytester, "--ddb-shard=1/1"))
