"""The judging logic of the benchmarks: ratios to floors measured in the same run."""

from __future__ import annotations

import math

from benchmarks.stats import Result, passed, percentile, times_floor, versus_floor


def test_ratio_to_floor_is_measured_over_floor() -> None:
    assert times_floor(3.0, 1.5) == 2.0
    assert math.isinf(times_floor(1.0, 0.0))


def test_cost_within_its_floor_multiple_is_met() -> None:
    result = versus_floor("verify", measured=4.0, floor=2.0, target=3.0,
                          details={"verify s": 4.0})
    assert result.value == 2.0
    assert result.unit == "x floor"
    assert result.met
    assert result.ratio == 1.5  # 3x allowed, 2x measured
    assert result.details == {"verify s": 4.0}


def test_cost_past_its_floor_multiple_is_not_met() -> None:
    result = versus_floor("verify", measured=7.0, floor=2.0, target=3.0)
    assert not result.met
    assert result.verdict == "NO"


def test_same_ratio_is_judged_alike_on_a_slower_machine() -> None:
    fast = versus_floor("verify", measured=4.0, floor=2.0, target=3.0)
    slow = versus_floor("verify", measured=8.0, floor=4.0, target=3.0)
    assert fast.value == slow.value
    assert fast.met and slow.met


def test_unjudged_absolute_target_does_not_fail_the_run() -> None:
    ratio = versus_floor("verify", measured=4.0, floor=2.0, target=3.0)
    absolute = Result("events/s", 183_000, "events/s", 200_000, judged=False)
    assert not absolute.met
    assert absolute.verdict == "no (shown, not judged)"
    assert passed([ratio, absolute])


def test_judged_miss_fails_the_run() -> None:
    miss = Result("events/s", 183_000, "events/s", 200_000)
    assert not passed([miss, versus_floor("verify", 4.0, 2.0, 3.0)])


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 95) == 95.0
    assert percentile(samples, 50) == 50.0
    assert percentile([7.0], 95) == 7.0


def test_percentile_rank_does_not_round_half_to_even() -> None:
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 50) == 10.0  # ceil(0.5 * 20) = 10th
    assert percentile(samples, 95) == 19.0  # ceil(0.95 * 20) = 19th


def test_the_lines_against_2026_11_23_say_whether_each_is_1_5x_better() -> None:
    from benchmarks.bot import _against_baseline

    card, commit = _against_baseline(6.0, 13.0, 3.0, 4.0)
    assert card.details["1.5x target met"] == "yes"
    assert card.details["times better than 2026-11-23"] == "1.68x"
    assert card.details["relative to the same run's bare bot server p95"] == "2.00x"
    assert commit.details["1.5x target met"] == "no"
    assert commit.details["relative to the same run's bare bot round trip p95"] == "3.25x"
    assert (card.target, commit.target) == (6.73, 12.0)
    assert not card.judged and card.met and not commit.met
