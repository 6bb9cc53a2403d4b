"""Why the mandatory items of a day (fixed commitments, pins) cannot all be kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations, pairwise

from services.scheduler.planning.problem import Candidate, Conflict, DayPlanRequest
from services.scheduler.planning.timeline import Timeline, duration_minutes, mandatory_start_minute
from services.scheduler.planning.travel import Location, TravelTimeProvider

__all__ = ["Conflict", "find_conflicts"]

Matrix = Sequence[Sequence[int]]


def find_conflicts(
    request: DayPlanRequest, matrix_or_travel: Matrix | TravelTimeProvider
) -> tuple[Conflict, ...]:
    """Clashes among mandatory candidates and with the day's bounds, in time order.

    `matrix_or_travel` is either a minute matrix over [depot, *request.candidates]
    (as `plan_day` builds it) or a provider, asked at each leg's actual departure.
    """
    timeline = Timeline(request.day_start, request.day_end)
    travel = _leg_minutes(request, matrix_or_travel, timeline)
    items = sorted(
        (mandatory_start_minute(c, timeline), index, c)
        for index, c in enumerate(request.candidates)
        if c.mandatory
    )
    conflicts: list[Conflict] = []
    inside = []
    for start, index, candidate in items:
        end = start + duration_minutes(candidate)
        if start < 0 or end > timeline.horizon:
            conflicts.append(_outside_day(candidate, start, end, timeline))
            continue
        inside.append((start, end, index, candidate))
        to_visit = travel(None, index, 0)
        if start - to_visit < 0:
            conflicts.append(
                Conflict(
                    (candidate.id,),
                    "unreachable_from_depot",
                    f"{_named(candidate, start, end, timeline)} 일정에 근무 시작"
                    f"({timeline.clock(request.day_start)})에 출발해도 제시간에 도착할 수 없습니다"
                    f" (이동 {to_visit}분).",
                )
            )
        back = travel(index, None, end)
        if end + back > timeline.horizon:
            conflicts.append(
                Conflict(
                    (candidate.id,),
                    "cannot_return",
                    f"{_named(candidate, start, end, timeline)} 일정 후 근무 종료"
                    f"({timeline.clock(request.day_end)})까지 시청에 돌아올 수 없습니다"
                    f" (이동 {back}분).",
                )
            )
    for (s1, e1, _, a), (s2, e2, _, b) in combinations(inside, 2):
        if s1 < e2 and s2 < e1:
            conflicts.append(
                Conflict(
                    (a.id, b.id),
                    "overlap",
                    f"{_named(a, s1, e1, timeline)} 일정과"
                    f" {_named(b, s2, e2, timeline)} 일정의 시간이 겹칩니다.",
                )
            )
    for (s1, e1, i1, a), (s2, e2, i2, b) in pairwise(inside):
        if e1 > s2:
            continue  # already reported as an overlap
        leg = travel(i1, i2, e1)
        if e1 + leg > s2:
            conflicts.append(
                Conflict(
                    (a.id, b.id),
                    "travel_time",
                    f"{_named(a, s1, e1, timeline)} 일정이 끝난 뒤"
                    f" {_named(b, s2, e2, timeline)} 일정까지"
                    f" 이동에 {leg}분이 걸려 제시간에 도착할 수 없습니다.",
                )
            )
    return tuple(conflicts)


def _leg_minutes(
    request: DayPlanRequest, matrix_or_travel: Matrix | TravelTimeProvider, timeline: Timeline
) -> Callable[[int | None, int | None, int], int]:
    """travel(origin, destination, depart_minute); None is the depot, ints index candidates."""
    if hasattr(matrix_or_travel, "minutes"):
        provider: TravelTimeProvider = matrix_or_travel

        def location(index: int | None) -> Location:
            return request.depot if index is None else request.candidates[index].location

        return lambda i, j, minute: provider.minutes(location(i), location(j), timeline.at(minute))
    matrix: Matrix = matrix_or_travel
    return lambda i, j, _minute: matrix[0 if i is None else i + 1][0 if j is None else j + 1]


def _outside_day(candidate: Candidate, start: int, end: int, timeline: Timeline) -> Conflict:
    return Conflict(
        (candidate.id,),
        "outside_day",
        f"{_named(candidate, start, end, timeline)} 일정이 근무일"
        f"({timeline.clock(timeline.day_start)}–{timeline.clock(timeline.day_end)}) 밖에 있습니다.",
    )


def _named(candidate: Candidate, start: int, end: int, timeline: Timeline) -> str:
    span = f"{timeline.clock(timeline.at(start))}–{timeline.clock(timeline.at(end))}"
    return f"'{candidate.label}'({span})"
