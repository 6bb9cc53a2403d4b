"""Plan one day of the mayor: the most valuable feasible itinerary, and why the rest is out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.scheduler.planning.conflicts import Conflict, find_conflicts
from services.scheduler.planning.problem import (
    Candidate,
    DayPlan,
    DayPlanRequest,
    DroppedCandidate,
    DropReason,
    PlanInfeasible,
    PlannedStop,
    TimeWindow,
)
from services.scheduler.planning.routing import Route, RoutingProblem, solve
from services.scheduler.planning.timeline import (
    StartRange,
    Timeline,
    duration_minutes,
    mandatory_start_minute,
    start_ranges,
)
from services.scheduler.planning.travel import TravelTimeProvider, travel_matrix

__all__ = [
    "Candidate",
    "Conflict",
    "DayPlan",
    "DayPlanRequest",
    "DroppedCandidate",
    "PlanInfeasible",
    "PlannedStop",
    "TimeWindow",
    "plan_day",
    "plan_day_with",
    "travel_minutes",
]

MIN_VALUE_SCALE = 10_000


@dataclass(frozen=True)
class _Node:
    """A candidate that goes into the routing model (matrix row = position + 1)."""

    position: int  # index in request.candidates
    candidate: Candidate
    starts: list[StartRange]


def plan_day(request: DayPlanRequest, travel: TravelTimeProvider) -> DayPlan:
    """Maximise the value of the day's visits, then minimise travel; keep every mandatory item.

    Pure and single-threaded with fixed parameters. Travel is priced once per origin at
    the earliest moment the mayor could leave it (day_start for City Hall, the end of the
    earliest feasible visit otherwise), so peak-hour speeds are an approximation for
    visits that slide later. Guided local search stops at request.time_limit and never
    proves optimality, so proven_optimal is normally False.

    Raises PlanInfeasible when the fixed commitments and pins cannot all be kept.
    """
    return plan_day_with(request, travel_minutes(request, travel))


def travel_minutes(request: DayPlanRequest, travel: TravelTimeProvider) -> list[list[int]]:
    """Minutes between City Hall (row 0) and every candidate, each row priced when leaving it.

    Apart from solving so that legs can be priced where the provider lives (an HTTP
    client, say) and the solve can run elsewhere on plain numbers.
    """
    timeline = Timeline(request.day_start, request.day_end)
    return travel_matrix(
        [request.depot, *(c.location for c in request.candidates)],
        travel,
        [request.day_start, *(_first_departure(c, timeline) for c in request.candidates)],
    )


def plan_day_with(request: DayPlanRequest, matrix: list[list[int]]) -> DayPlan:
    """plan_day on a travel matrix already priced by travel_minutes."""
    timeline = Timeline(request.day_start, request.day_end)
    if timeline.horizon <= 0:
        raise ValueError("day_end must be after day_start")
    nodes, dropped = _nodes_and_windowless(request, timeline)
    conflicts = find_conflicts(request, matrix)
    if conflicts:
        raise PlanInfeasible(conflicts)

    rows = [0, *(node.position + 1 for node in nodes)]
    scale = max(MIN_VALUE_SCALE, timeline.horizon + 1)
    route = solve(
        RoutingProblem(
            travel=[[matrix[i][j] for j in rows] for i in rows],
            service=[0, *(duration_minutes(node.candidate) for node in nodes)],
            starts=[[], *(node.starts for node in nodes)],
            penalties=[
                None,
                *(None if n.candidate.mandatory else n.candidate.value * scale for n in nodes),
            ],
            horizon=timeline.horizon,
            time_limit=request.time_limit,
        )
    )
    if route is None:
        raise PlanInfeasible((_no_plan_conflict(request),))
    stops = _stops(route, nodes, matrix, timeline)
    visited = {nodes[v - 1].position for v in route.visits}
    for node in nodes:
        if node.position not in visited:
            dropped[node.position] = _why_dropped(node, matrix, timeline, stops, request)
    last_row = nodes[route.visits[-1] - 1].position + 1 if route.visits else 0
    return DayPlan(
        stops=stops,
        dropped=tuple(dropped[p] for p in sorted(dropped)),
        total_value=sum(request.candidates[p].value for p in visited),
        total_travel_minutes=sum(s.travel_minutes_from_previous for s in stops)
        + matrix[last_row][0],
        return_at=timeline.at(route.back),
        solver_status=route.status,
        proven_optimal=route.optimal,
    )


def _nodes_and_windowless(
    request: DayPlanRequest, timeline: Timeline
) -> tuple[list[_Node], dict[int, DroppedCandidate]]:
    nodes: list[_Node] = []
    dropped: dict[int, DroppedCandidate] = {}
    for position, candidate in enumerate(request.candidates):
        if candidate.mandatory:
            start = mandatory_start_minute(candidate, timeline)
            nodes.append(_Node(position, candidate, [(start, start)]))
            continue
        ranges = start_ranges(candidate, timeline)
        if ranges:
            nodes.append(_Node(position, candidate, ranges))
        else:
            dropped[position] = DroppedCandidate(
                candidate.id,
                DropReason.NO_WINDOW,
                "허용 시간대가 근무일 안에 없습니다 (방문 시간을 채울 수 없음).",
            )
    return nodes, dropped


def _first_departure(candidate: Candidate, timeline: Timeline) -> datetime:
    """The earliest moment the mayor could leave this candidate; day_start if it never fits."""
    if candidate.mandatory:
        return candidate.mandatory_start + candidate.duration
    ranges = start_ranges(candidate, timeline)
    if not ranges:
        return timeline.day_start
    return timeline.at(ranges[0][0] + duration_minutes(candidate))


def _stops(
    route: Route, nodes: list[_Node], matrix: list[list[int]], timeline: Timeline
) -> tuple[PlannedStop, ...]:
    """Stops in order; the mayor leaves City Hall just in time for the first one."""
    stops: list[PlannedStop] = []
    previous_row, previous_end = 0, None
    for visit, start in zip(route.visits, route.starts, strict=True):
        node = nodes[visit - 1]
        row = node.position + 1
        leg = matrix[previous_row][row]
        arrive = start if previous_end is None else previous_end + leg
        end = start + duration_minutes(node.candidate)
        stops.append(
            PlannedStop(
                candidate_id=node.candidate.id,
                arrive_at=timeline.at(arrive),
                start_at=timeline.at(start),
                end_at=timeline.at(end),
                travel_minutes_from_previous=leg,
            )
        )
        previous_row, previous_end = row, end
    return tuple(stops)


def _why_dropped(
    node: _Node,
    matrix: list[list[int]],
    timeline: Timeline,
    stops: tuple[PlannedStop, ...],
    request: DayPlanRequest,
) -> DroppedCandidate:
    row = node.position + 1
    there, back = matrix[0][row], matrix[row][0]
    duration = duration_minutes(node.candidate)
    alone_fits = any(
        max(earliest, there) <= latest
        and max(earliest, there) + duration + back <= timeline.horizon
        for earliest, latest in node.starts
    )
    if not alone_fits:
        return DroppedCandidate(
            node.candidate.id,
            DropReason.UNREACHABLE,
            f"시청에서 이동 시간(편도 {there}분, 복귀 {back}분)을 고려하면"
            " 허용 시간대와 근무일 안에 방문할 수 없습니다.",
        )
    labels = {c.id: c.label for c in request.candidates}
    busy = [
        stop
        for stop in stops
        if any(
            timeline.ceil(stop.start_at) < latest + duration
            and earliest < timeline.floor(stop.end_at)
            for earliest, latest in node.starts
        )
    ]
    reason = "더 높은 우선순위 일정과 시간이 겹쳐 제외되었습니다"
    if busy:
        named = ", ".join(
            f"'{labels[s.candidate_id]}'({timeline.clock(s.start_at)}–{timeline.clock(s.end_at)})"
            for s in busy[:3]
        )
        reason += f" (겹치는 일정: {named}{' 외' if len(busy) > 3 else ''})"
    return DroppedCandidate(node.candidate.id, DropReason.OUTVALUED, reason + ".")


def _no_plan_conflict(request: DayPlanRequest) -> Conflict:
    mandatory = [c for c in request.candidates if c.mandatory]
    labels = ", ".join(f"'{c.label}'" for c in mandatory)
    return Conflict(
        tuple(c.id for c in mandatory),
        "no_feasible_plan",
        f"고정 일정({labels})을 이동 시간과 근무 시간 안에서 모두 지키는 동선을 찾지 못했습니다.",
    )
