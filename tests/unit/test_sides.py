from __future__ import annotations

from dataclasses import dataclass

from ddbmatrix.sides import assertion_failed, behaviour_key, choose_sides

ASSERTION = {"type": "AssertionError", "code": None}
CLIENT_ERROR = {"type": "ClientError", "code": "ValidationException"}


@dataclass
class G:
    backends: list[str]
    outcome: str = "passed"
    exception: dict | None = None
    behaviour: str = "b"
    set_up_failed: bool = False


def test_a_reference_run_decides_even_in_a_minority():
    groups = [G(["x", "y"], behaviour="b1"), G(["aws"], "failed", ASSERTION, "b2")]
    sides = choose_sides(groups, "aws")
    assert (sides.reference, sides.basis, sides.right) == (1, "reference", (1,))


def test_a_failed_assertion_against_a_pass_lets_the_assertions_decide():
    groups = [G(["x", "y"], "failed", ASSERTION, "b1"), G(["z"], behaviour="b2")]
    sides = choose_sides(groups, None)
    assert (sides.reference, sides.basis, sides.right) == (1, "assertions", (1,))


def test_a_pass_because_nothing_raised_proves_nothing_against_a_raise():
    # The accepting backend passed; the rejecting ones raised: no assertion was in play.
    groups = [G(["x", "y"], "raised", CLIENT_ERROR, "b1"), G(["z"], behaviour="b2")]
    sides = choose_sides(groups, None)
    assert (sides.reference, sides.basis) == (0, "majority")


def test_wording_differences_do_not_split_the_majority():
    groups = [
        G(["a"], "raised", CLIENT_ERROR, "rejects"),
        G(["b"], "raised", CLIENT_ERROR, "rejects"),
        G(["c"], "raised", CLIENT_ERROR, "rejects"),
        G(["d"], behaviour="accepts"),
    ]
    sides = choose_sides(groups, None)
    assert sides.basis == "majority"
    assert sides.right == (0, 1, 2)
    assert sides.wording_tie  # three wordings, none the larger: no wording is right


def test_no_majority_means_no_reference():
    groups = [G(["a", "b"], behaviour="b1"), G(["c", "d"], behaviour="b2")]
    sides = choose_sides(groups, None)
    assert (sides.reference, sides.basis, sides.right) == (None, None, ())
    raised = [
        G(["a", "b"], "raised", CLIENT_ERROR, "b1"),
        G(["c", "d"], "raised", {"type": "ClientError", "code": "AccessDeniedException"}, "b2"),
        G(["e"], "raised", {"type": "ClientError", "code": "UnknownOperationException"}, "b3"),
    ]
    assert choose_sides(raised, None).reference is None


def test_the_largest_group_is_no_majority_when_it_holds_half_or_less():
    # Two of five agree; the other three each answer otherwise: the two are not "right".
    groups = [G(["a", "b"], behaviour="b1"), *(G([n], behaviour=f"b-{n}") for n in "cde")]
    assert (choose_sides(groups, None).reference, choose_sides(groups, None).basis) == (None, None)
    three = [G(["a", "b", "c"], behaviour="b1"), G(["d"], behaviour="b2"), G(["e"], behaviour="b3")]
    assert choose_sides(three, None).basis == "majority"
    # Nor does an outcome held by two of five decide.
    outcomes = [
        G(["a"], "raised", CLIENT_ERROR, "b-a"),
        G(["b"], "raised", CLIENT_ERROR, "b-b"),
        G(["c"], behaviour="b-c"),
        G(["d"], "raised", {"type": "KeyError", "code": None}, "b-d"),
        G(["e"], "raised", {"type": "ClientError", "code": "UnknownOperationException"}, "b-e"),
    ]
    assert choose_sides(outcomes, None).reference is None


def test_with_no_behaviour_the_larger_the_majority_outcome_decides():
    # Every backend answered an earlier DescribeTable with its own field set; four then
    # rejected the request and one accepted it.
    groups = [G([name], "raised", CLIENT_ERROR, f"b-{name}") for name in "abcd"]
    groups.append(G(["e"], behaviour="b-e"))
    sides = choose_sides(groups, None)
    assert (sides.basis, sides.by_outcome, sides.right_tie) == ("majority", True, True)
    assert sides.right == (0, 1, 2, 3)


def test_passing_groups_that_tie_among_themselves_all_count_as_right():
    groups = [
        G(["a"], behaviour="b1"),
        G(["b"], behaviour="b2"),
        G(["c"], "failed", ASSERTION, "b3"),
    ]
    sides = choose_sides(groups, None)
    assert (sides.basis, sides.right, sides.right_tie) == ("assertions", (0, 1), True)


def test_what_counts_as_a_failed_assertion():
    assert assertion_failed("failed", ASSERTION)
    assert assertion_failed("failed", {"type": "Failed", "code": None})  # pytest.fail, raises
    assert not assertion_failed("raised", CLIENT_ERROR)
    assert assertion_failed("xfailed", ASSERTION)
    assert not assertion_failed("xfailed", CLIENT_ERROR)
    assert not assertion_failed("error", ASSERTION)


def test_behaviour_leaves_out_wording_and_scan_order():
    def call(message, items):
        return {
            "operation": "Scan",
            "request": {},
            "status": 400,
            "error": {"code": "V", "message": message},
            "response": {"Items": items},
        }

    one = behaviour_key("raised", [call("one", [1, 2])], informational=True)
    other = behaviour_key("raised", [call("two", [2, 1])], informational=True)
    assert one == other
    assert behaviour_key("raised", [call("one", [1, 2])], informational=False) != (
        behaviour_key("raised", [call("one", [2, 1])], informational=False)
    )


def test_a_group_that_never_got_past_set_up_is_never_the_right_side():
    groups = [G(["x", "y"], "error", None, "b1", set_up_failed=True), G(["z"], behaviour="b2")]
    sides = choose_sides(groups, None)
    assert (sides.reference, sides.basis, sides.right) == (1, "majority", (1,))
