"""Is a plan feasible under the problem's exact model? Every broken rule, in Korean-free codes.

Used by the tests on every plan the solver returns, by plan.py's repair, and usable on a
plan edited by hand. Travel is re-priced with the departure-time-dependent minutes.
"""

from __future__ import annotations

from datetime import datetime

from schemas.planning import DayPlanOut, ItemKind, PlanningProblem, WeekPlanOut
from services.scheduler.planning.week.horizon import Compiled, NodeKind, compile_problem


def violations(problem: PlanningProblem, plan: WeekPlanOut, c: Compiled | None = None) -> list[str]:
    c = c or compile_problem(problem)
    found: list[str] = []
    by_date = {day.date: day for day in plan.days}
    placed: dict[str, int] = {}
    for d, day in enumerate(c.days):
        out = by_date.get(day.date)
        if out is None:
            found.append(f"{day.date}: day missing")
            continue
        found += day_violations(c, d, out)
        for item in out.items:
            if item.kind is ItemKind.VISIT:
                placed[item.id] = placed.get(item.id, 0) + 1
    found += [f"{rid}: placed {n} times" for rid, n in placed.items() if n > 1]
    mandatory = {r.id for r in problem.requests if r.mandatory}
    found += [f"{rid}: mandatory request not placed" for rid in sorted(mandatory - set(placed))]
    return found


def day_violations(c: Compiled, d: int, out: DayPlanOut) -> list[str]:
    day, found = c.days[d], []
    span_start, span_end = c.day_spans[d]
    minute = c.minute
    requests = {r.id: r for r in c.problem.requests}
    members = {m.id: m for m in c.problem.members}
    items = sorted(out.items, key=lambda i: i.start)
    here = c.place_index[day.start_place_id]
    free = span_start  # at the start place; a lunch may come before leaving
    if minute(out.leave_start) < span_start:
        found.append(f"{day.date}: leaves before working hours")
    for item in items:
        buffer = day.buffer_minutes if item.kind is ItemKind.VISIT else 0
        start, end = minute(item.start), minute(item.end)
        if start - buffer < free:
            found.append(f"{item.id}: starts {item.start:%H:%M} before the mayor is free")
        if item.place_id is not None and c.place_index[item.place_id] != here:
            there = c.place_index[item.place_id]
            depart = max(free, minute(item.depart_previous) if item.depart_previous else free)
            arrive = depart + c.travel.minutes(here, there, depart)
            if arrive + buffer > start:
                found.append(f"{item.id}: arrives {c.at(arrive):%H:%M} after its start")
            here = there
        free = end + buffer
        if item.kind is ItemKind.VISIT:
            request = requests[item.id]
            if end - start != request.duration_minutes:
                found.append(f"{item.id}: wrong duration")
            if start % c.problem.grid_minutes:
                found.append(f"{item.id}: start off the grid")
            if not _inside(item.start, item.end, [(w.start, w.end) for w in request.windows]):
                found.append(f"{item.id}: outside its windows")
            for member_id in request.member_ids:
                spans = [(w.start, w.end) for w in members[member_id].availability]
                if not _inside(item.start, item.end, spans):
                    found.append(f"{item.id}: member {member_id} unavailable")
        if start < span_start or end > span_end:
            found.append(f"{item.id}: outside working hours")
    back = c.place_index[day.end_place_id]
    arrive = free + c.travel.minutes(here, back, free) if here != back else free
    if arrive > span_end:
        found.append(f"{day.date}: back at {c.at(arrive):%H:%M}, after the day ends")
    if day.max_visits is not None and out.visits > day.max_visits:
        found.append(f"{day.date}: {out.visits} visits > {day.max_visits}")
    refs = {item.id: item for item in items}
    for node in c.nodes:
        if node.kind in (NodeKind.COMMITMENT, NodeKind.BLOCKED) and node.days == (d,):
            fixed = refs.get(node.ref)
            if fixed is None or minute(fixed.start) != node.ranges[0][0]:
                found.append(f"{node.ref}: fixed item missing or moved")
    for brk in c.breaks:
        if brk.day == d:
            taken = refs.get(brk.ref)
            if taken is None:
                found.append(f"{brk.ref}: missing")
            elif not brk.earliest <= minute(taken.start) <= brk.latest:
                found.append(f"{brk.ref}: outside its window")
    for node in c.nodes:
        if node.kind is NodeKind.LUNCH and node.days == (d,):
            lunch = refs.get(node.ref)
            if lunch is None or not node.ranges[0][0] <= minute(lunch.start) <= node.ranges[0][1]:
                found.append(f"{node.ref}: lunch missing or outside its window")
    return found


def _inside(start: datetime, end: datetime, spans: list[tuple[datetime, datetime]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)
