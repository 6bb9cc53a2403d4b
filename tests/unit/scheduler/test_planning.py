"""plan_day against a brute-force oracle, and the rules every plan must keep."""

import random
import time
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import combinations, permutations

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler.planning.model import (
    Candidate,
    DayPlan,
    DayPlanRequest,
    PlanInfeasible,
    TimeWindow,
    plan_day,
)
from services.scheduler.planning.travel import Location

DAY_START = datetime(2025, 3, 4, 8, 0, tzinfo=SEOUL)
DEPOT = Location(0.0, 0.0)
LIMIT = timedelta(seconds=1)


class GridTravel:
    """Test travel: points on a grid of 0.001°, one minute per step (Manhattan), any hour."""

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        steps = abs(origin.latitude - destination.latitude) + abs(
            origin.longitude - destination.longitude
        )
        return round(steps * 1000)


def at(minute: int) -> datetime:
    return DAY_START + timedelta(minutes=minute)


def grid(x: int, y: int) -> Location:
    return Location(x / 1000, y / 1000)


def visit(
    cid: str, x: int, y: int, duration: int, windows: list[tuple[int, int]], value: int, **kw
) -> Candidate:
    return Candidate(
        id=cid,
        label=f"방문 {cid}",
        location=grid(x, y),
        duration=timedelta(minutes=duration),
        windows=tuple(TimeWindow(at(s), at(e)) for s, e in windows),
        value=value,
        **kw,
    )


def request(candidates: list[Candidate], day_minutes: int = 600) -> DayPlanRequest:
    return DayPlanRequest(DAY_START, at(day_minutes), DEPOT, tuple(candidates), time_limit=LIMIT)


def best_value_by_brute_force(req: DayPlanRequest) -> int:
    """Try every subset (containing all mandatory items) in every order; earliest starts."""
    travel = GridTravel()
    horizon = int((req.day_end - req.day_start).total_seconds() // 60)
    must = [c for c in req.candidates if c.mandatory]
    optional = [c for c in req.candidates if not c.mandatory]
    best = -1
    for k in range(len(optional) + 1):
        for chosen in combinations(optional, k):
            subset = must + list(chosen)
            value = sum(c.value for c in subset)
            if value <= best:
                continue
            if any(
                _route_end(order, travel, horizon) is not None for order in permutations(subset)
            ):
                best = value
    return best


def _route_end(order: tuple[Candidate, ...], travel: GridTravel, horizon: int) -> int | None:
    now, here = 0, DEPOT
    for c in order:
        arrive = now + travel.minutes(here, c.location, DAY_START)
        duration = int(c.duration.total_seconds() // 60)
        if c.mandatory:
            starts = [(_minute(c.mandatory_start), _minute(c.mandatory_start))]
        else:
            starts = [(_minute(w.start), _minute(w.end) - duration) for w in c.windows]
        feasible = sorted(max(arrive, s) for s, latest in starts if max(arrive, s) <= latest)
        if not feasible:
            return None
        now, here = feasible[0] + duration, c.location
    end = now + travel.minutes(here, DEPOT, DAY_START)
    return end if end <= horizon else None


def _minute(moment: datetime) -> int:
    return int((moment - DAY_START).total_seconds() // 60)


def assert_plan_is_feasible(req: DayPlanRequest, plan: DayPlan) -> None:
    """Every stop inside one of its windows, travel between stops, the day's bounds."""
    travel = GridTravel()
    by_id = {c.id: c for c in req.candidates}
    place, previous_end = DEPOT, req.day_start
    for stop in plan.stops:
        c = by_id[stop.candidate_id]
        assert stop.end_at - stop.start_at == c.duration
        if c.mandatory:
            assert stop.start_at == c.mandatory_start
        else:
            assert any(w.start <= stop.start_at and stop.end_at <= w.end for w in c.windows), stop
        leg = travel.minutes(place, c.location, DAY_START)
        assert stop.travel_minutes_from_previous == leg
        assert stop.arrive_at >= previous_end + timedelta(minutes=leg)
        assert stop.start_at >= stop.arrive_at
        place, previous_end = c.location, stop.end_at
    assert plan.return_at >= previous_end + timedelta(
        minutes=travel.minutes(place, DEPOT, DAY_START)
    )
    assert req.day_start <= plan.return_at <= req.day_end
    planned = {s.candidate_id for s in plan.stops}
    assert plan.total_value == sum(by_id[i].value for i in planned)
    assert planned.isdisjoint(d.candidate_id for d in plan.dropped)
    assert planned | {d.candidate_id for d in plan.dropped} == set(by_id)
    assert all(
        s.start_at.tzinfo is not None and s.start_at.utcoffset() == timedelta(hours=9)
        for s in plan.stops
    )


def random_request(seed: int, size: int = 6, with_fixed: bool = False) -> DayPlanRequest:
    rng = random.Random(seed)
    candidates = []
    for n in range(size):
        duration = rng.choice([30, 60, 90])
        windows = []
        for _ in range(rng.choice([1, 1, 2])):
            start = rng.randrange(0, 480, 10)
            windows.append((start, start + duration + rng.choice([0, 30, 60, 120])))
        candidates.append(
            visit(
                f"v{n}",
                rng.randint(-60, 60),
                rng.randint(-60, 60),
                duration,
                windows,
                rng.randint(1, 9),
            )
        )
    if with_fixed:
        candidates[0] = visit("fixed", 10, 10, 60, [(240, 300)], 1, fixed=True)
    return request(candidates, day_minutes=540)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_value_is_maximised_as_brute_force(seed: int) -> None:
    req = random_request(seed)
    plan = plan_day(req, GridTravel())
    assert_plan_is_feasible(req, plan)
    assert plan.total_value == best_value_by_brute_force(req)


@pytest.mark.parametrize("seed", [12, 18])
def test_value_is_maximised_around_a_fixed_commitment(seed: int) -> None:
    req = random_request(seed, with_fixed=True)
    plan = plan_day(req, GridTravel())
    assert_plan_is_feasible(req, plan)
    assert "fixed" in {s.candidate_id for s in plan.stops}
    assert plan.total_value == best_value_by_brute_force(req)


def test_higher_value_wins_a_shared_slot_and_the_loser_is_outvalued() -> None:
    big = visit("big", 30, 0, 120, [(60, 180)], 9)
    small = visit("small", -30, 0, 120, [(60, 180)], 2)
    plan = plan_day(request([small, big]), GridTravel())
    assert [s.candidate_id for s in plan.stops] == ["big"]
    (dropped,) = plan.dropped
    assert (dropped.candidate_id, dropped.reason_code) == ("small", "outvalued")
    assert "우선순위" in dropped.reason and "방문 big" in dropped.reason


def test_fixed_commitment_is_kept_at_its_exact_time_even_if_worth_little() -> None:
    fixed = visit("cabinet", 50, 0, 60, [(120, 180)], 1, fixed=True)
    rival = visit("rival", -50, 0, 60, [(120, 180)], 50)
    plan = plan_day(request([rival, fixed]), GridTravel())
    (stop,) = plan.stops
    assert (stop.candidate_id, stop.start_at, stop.end_at) == ("cabinet", at(120), at(180))
    assert plan.dropped[0].candidate_id == "rival"


def test_pinned_start_is_mandatory_at_the_pin() -> None:
    pinned = visit("pinned", 20, 0, 60, [(0, 600)], 1, pinned_start=at(300))
    rival = visit("rival", -20, 0, 300, [(100, 600)], 50)
    plan = plan_day(request([pinned, rival]), GridTravel())
    assert [(s.candidate_id, s.start_at) for s in plan.stops] == [("pinned", at(300))]


def test_second_window_is_used_when_the_first_is_taken() -> None:
    fixed = visit("fixed", 0, 10, 120, [(30, 150)], 1, fixed=True)
    split = visit("split", 0, 20, 60, [(60, 120), (360, 420)], 5)
    plan = plan_day(request([fixed, split]), GridTravel())
    assert_plan_is_feasible(request([fixed, split]), plan)
    starts = {s.candidate_id: s.start_at for s in plan.stops}
    assert starts == {"fixed": at(30), "split": at(360)}


def test_visit_never_starts_inside_the_gap_between_windows() -> None:
    # Arriving at minute 20 after the first window closes; the gap is closed; wait for the second.
    late = visit("late", 0, 20, 30, [(0, 10), (200, 300)], 5)
    plan = plan_day(request([late]), GridTravel())
    (stop,) = plan.stops
    assert stop.start_at == at(200)
    assert stop.arrive_at <= stop.start_at


def test_window_outside_the_day_is_dropped_before_solving() -> None:
    night = visit("night", 5, 5, 60, [(700, 900)], 9)
    too_short = visit("short", 5, 5, 60, [(100, 130)], 9)
    plan = plan_day(request([night, too_short]), GridTravel())
    assert plan.stops == ()
    assert {(d.candidate_id, d.reason_code) for d in plan.dropped} == {
        ("night", "no_window"),
        ("short", "no_window"),
    }
    assert all("근무일" in d.reason for d in plan.dropped)
    assert plan.return_at == DAY_START


def test_window_partly_outside_the_day_is_clipped() -> None:
    edge = visit("edge", 0, 10, 60, [(-120, 70)], 3)
    req = request([edge])
    plan = plan_day(req, GridTravel())
    assert_plan_is_feasible(req, plan)
    (stop,) = plan.stops
    assert stop.start_at == at(10)


def test_unreachable_candidate_is_explained() -> None:
    far = visit("far", 300, 0, 60, [(0, 200)], 9)  # 300 minutes away, window closes at 200
    plan = plan_day(request([far]), GridTravel())
    (dropped,) = plan.dropped
    assert dropped.reason_code == "unreachable"
    assert "300분" in dropped.reason


def test_travel_is_minimised_among_equal_value_plans() -> None:
    a = visit("a", 10, 0, 30, [(0, 600)], 5)
    b = visit("b", 20, 0, 30, [(0, 600)], 5)
    c = visit("c", 30, 0, 30, [(0, 600)], 5)
    plan = plan_day(request([c, a, b]), GridTravel())
    assert plan.total_value == 15
    assert (
        plan.total_travel_minutes == 60
    )  # out to c and back: any order that never backtracks past c
    assert {s.candidate_id for s in plan.stops} == {"a", "b", "c"}


def test_stops_follow_the_route_in_time_order_and_leave_just_in_time() -> None:
    a = visit("a", 10, 0, 30, [(100, 200)], 5)
    plan = plan_day(request([a]), GridTravel())
    (stop,) = plan.stops
    assert stop.arrive_at == stop.start_at == at(100)
    assert plan.return_at == at(140)
    assert plan.total_travel_minutes == 20
    assert plan.solver_status == "EXACT_OPTIMAL"
    assert plan.proven_optimal is True


def test_small_days_are_solved_exactly_without_spending_the_time_limit() -> None:
    req = random_request(5, size=10, with_fixed=True)
    began = time.perf_counter()
    plan = plan_day(replace(req, time_limit=timedelta(seconds=30)), GridTravel())
    assert time.perf_counter() - began < 2.0
    assert plan.proven_optimal is True
    assert_plan_is_feasible(req, plan)


def test_overlapping_fixed_commitments_raise_with_both_ids() -> None:
    one = visit("cabinet", 0, 10, 120, [(60, 180)], 1, fixed=True)
    two = visit("council", 0, 20, 60, [(120, 180)], 1, fixed=True)
    with pytest.raises(PlanInfeasible) as raised:
        plan_day(request([one, two]), GridTravel())
    (conflict,) = raised.value.conflicts
    assert set(conflict.candidate_ids) == {"cabinet", "council"}
    assert conflict.reason_code == "overlap"
    assert "방문 cabinet" in str(raised.value) and "겹칩니다" in str(raised.value)


def test_plan_is_deterministic() -> None:
    req = random_request(7)
    assert plan_day(req, GridTravel()) == plan_day(req, GridTravel())
