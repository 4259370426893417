from __future__ import annotations

from ddbmatrix.normalize import TRANSFORMERS, Context, normalize
from ddbmatrix.unspecified import RULES


def test_set_elements_are_sorted_and_lists_are_not():
    item = {"s": {"SS": ["b", "a"]}, "n": {"NS": ["2", "1"]}, "l": {"L": [{"S": "b"}, {"S": "a"}]}}
    assert normalize({"Item": item}, Context()) == {
        "Item": {
            "l": {"L": [{"S": "b"}, {"S": "a"}]},
            "n": {"NS": ["1", "2"]},
            "s": {"SS": ["a", "b"]},
        }
    }


def test_an_attribute_named_like_a_set_type_is_left_alone():
    item = {"SS": {"L": [{"S": "b"}, {"S": "a"}]}}
    assert normalize(item, Context()) == item


def test_every_rule_names_the_documentation_it_rests_on():
    names = {t.name for t in TRANSFORMERS}
    for rule in RULES:
        assert rule.source.startswith("https://docs.aws.amazon.com/amazondynamodb/")
        assert rule.quote
        assert rule.description
        assert rule.kind in ("normalized", "informational")
    assert "set-order" in names
