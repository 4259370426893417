from __future__ import annotations

import pytest

from ddbmatrix.differences import call_differences
from ddbmatrix.fingerprints import Site, mask, sites
from tests.unit.factories import make_call


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        (
            "1 validation error detected: Value '[{\"pk\":{\"S\":\"u0\"}}]' at "
            "'requestItems.<table:users>.member.keys' failed to satisfy constraint: Member must "
            "have length less than or equal to 100",
            "<n> validation error detected: Value '<v>' at '<v>' failed to satisfy constraint: "
            "Member must have length less than or equal to <n>",
        ),
        ("Input collection [a, a] has duplicates", "Input collection [<v>] has duplicates"),
        ("Table: <table:t> not found", "Table: <table> not found"),
        ("Keys: {#unused}", "Keys: {<v>}"),
    ],
)  # fmt: skip
def test_mask_keeps_the_wording_and_drops_the_values(message, masked):
    assert mask(message) == masked


def _sites(base, other):
    differences, _ = call_differences(base, other)
    return [site for site, _ in sites(differences, tuple(base), tuple(other), True)]


def test_each_added_field_is_a_site_of_its_own_that_reads_alike_in_every_test():
    base = [make_call("CreateTable", response={"TableDescription": {"TableName": "t"}})]
    other = [
        make_call(
            "CreateTable",
            response={"TableDescription": {"TableName": "t", "WarmThroughput": {}, "TableId": "i"}},
        )
    ]
    assert _sites(base, other) == [
        Site("shape", "CreateTable", "+TableDescription.TableId"),
        Site("shape", "CreateTable", "+TableDescription.WarmThroughput"),
    ]
    flipped = _sites(base, other)[1].flipped()
    assert (flipped.locus, flipped.who) == ("-TableDescription.WarmThroughput", "base")


def test_accepted_invalid_names_who_rejected_and_how():
    accepted = make_call("PutItem")
    rejected = make_call(
        "PutItem", status=400, error={"code": "ValidationException", "message": "Too big: 400"}
    )
    (site,) = _sites([rejected], [accepted])
    assert site == Site("accepted-invalid", "PutItem", "ValidationException: Too big: <n>", "base")
    (site,) = _sites([accepted], [rejected])
    assert site.who == "odd"


def test_wording_sites_keep_the_code_and_the_masked_message_of_each_side():
    a = make_call(status=400, error={"code": "ValidationException", "message": "bad 'x'"})
    b = make_call(status=400, error={"code": "ValidationException", "message": "wrong 'x'"})
    (site,) = _sites([a], [b])
    assert (site.kind, site.locus) == ("message", "ValidationException: wrong '<v>'")
    assert site.flipped().locus == "ValidationException: bad '<v>'"


def test_informational_differences_are_left_out_when_asked():
    scan = make_call("Scan", response={"Items": [{"k": 1}, {"k": 2}]})
    rescan = make_call("Scan", response={"Items": [{"k": 2}, {"k": 1}]})
    differences, _ = call_differences([scan], [rescan])
    assert sites(differences, (scan,), (rescan,), skip_informational=True) == []
    ((site, _),) = sites(differences, (scan,), (rescan,), skip_informational=False)
    assert (site.kind, site.locus) == ("order", "Items")
