"""The annual report's indicator line: how far the latest value went towards the target, and whether
it meets it, agreeing with the national roll-up (rollup.meets_target) also when lower is better
(the target below the baseline: fewer cases)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from monitoring.annual.data import _share
from monitoring.rollup import meets_target


def _line(value, baseline, target):
    return _share(
        SimpleNamespace(value=Decimal(value)),
        SimpleNamespace(baseline=None if baseline is None else Decimal(baseline), target=Decimal(target)),
    )


def test_lower_is_better_counts_the_way_from_the_baseline_down_to_the_target():
    # 40 cases last year, 20 the target: 30 is half the way, 20 the whole, 10 beyond it.
    assert _line(30, 40, 20) == (50, False)
    assert _line(20, 40, 20) == (100, True)
    assert _line(10, 40, 20) == (150, True)
    assert _line(50, 40, 20) == (-50, False)
    # Down to none: the target 0 still has a share.
    assert _line(5, 10, 0) == (50, False)


def test_higher_is_better_is_the_value_over_the_target():
    assert _line(30, 10, 60) == (50, False)
    assert _line(60, None, 60) == (100, True)
    assert _line(0, None, 0) == (None, True)


@pytest.mark.parametrize("baseline", [None, 0, 10, 40, 100])
@pytest.mark.parametrize("target", [5, 20, 40, 80])
def test_the_share_reaches_100_exactly_when_the_roll_up_counts_it_met(baseline, target):
    for value in range(0, 120, 5):
        share, met = _line(value, baseline, target)
        assert met == meets_target(Decimal(value), None if baseline is None else Decimal(baseline), target)
        assert (share >= 100) == met


def test_an_indicator_without_a_target_has_no_share_and_is_never_met():
    # The demo's indicators include some without a target: load_demo's annual report read them.
    line = _share(SimpleNamespace(value=Decimal(12)), SimpleNamespace(baseline=Decimal(4), target=None))
    assert line == (None, False)
    assert meets_target(Decimal(12), Decimal(4), None) is False
    assert meets_target(None, None, Decimal(5)) is False
