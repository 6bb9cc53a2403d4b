"""Why each request was left out: the first true reason, naming what stands in the way.

Every claim is checkable against the plan: a named item is in the plan, overlaps one of
the request's windows on a day it could go, and (for `outvalued`) is worth at least as much
alone, or the named items together are.
"""

from __future__ import annotations

from datetime import date

from schemas.planning import (
    DayPlanOut,
    ItemKind,
    LeftOut,
    PlanItem,
    ReasonCode,
    Request,
    WeekPlanOut,
)
from services.scheduler.planning.week.horizon import Busy, Compiled
from services.scheduler.planning.week.windows import (
    member_segments,
    window_segments,
    without_blocks,
)


def _clock(c: Compiled, minute: int) -> str:
    return c.at(minute).strftime("%m/%d %H:%M")


def _label(item: PlanItem) -> str:
    return f"'{item.title}'({item.start:%m/%d %H:%M}–{item.end:%H:%M})"


def explain(c: Compiled, plan: WeekPlanOut) -> list[LeftOut]:
    placed = {i.id for day in plan.days for i in day.items if i.kind is ItemKind.VISIT}
    if not plan.days:
        return [
            LeftOut(
                request_id=r.id,
                code=ReasonCode.BLOCKED,
                reason="필수 일정이 서로 충돌해 계획을 세우지 못했습니다 (conflicts 참조).",
            )
            for r in c.problem.requests
        ]
    return [reason(c, plan, r) for r in c.problem.requests if r.id not in placed]


def reason(c: Compiled, plan: WeekPlanOut, request: Request) -> LeftOut:
    def out(code: ReasonCode, text: str, named: list[str] | None = None) -> LeftOut:
        return LeftOut(request_id=request.id, code=code, reason=text, named_ids=named or [])

    pieces = window_segments(c, request)
    if not pieces:
        return out(
            ReasonCode.NO_WINDOW,
            "허용 시간대 중 근무 시간 안에 방문 시간을 채울 수 있는 것이 없습니다.",
        )
    pieces = member_segments(c, request, pieces)
    if not pieces:
        names = ", ".join(m.name for m in c.problem.members if m.id in request.member_ids)
        return out(
            ReasonCode.MEMBERS_UNAVAILABLE,
            f"참석할 의원({names})이 허용 시간대에 모두 함께 가능한 때가 없습니다.",
            list(request.member_ids),
        )
    free = without_blocks(c, pieces, request.duration_minutes, ("",))
    if not free:
        busy = _overlapping_busy(c, pieces)
        named = ", ".join(
            f"'{b.title}'({_clock(c, b.start)}–{_clock(c, b.end)[-5:]})" for b in busy
        )
        return out(
            ReasonCode.BLOCKED,
            f"허용 시간대가 고정 일정·차단 시간에 모두 막혀 있습니다: {named}.",
            [b.ref for b in busy],
        )
    node_index = c.request_nodes.get(request.id)
    if node_index is None:
        return out(
            ReasonCode.NO_WINDOW,
            "허용 시간대가 시작 시각 간격(그리드)에 맞는 시작을 허락하지 않습니다.",
        )
    node = c.nodes[node_index]
    days = list(node.days)
    by_date = {day.date: day for day in plan.days}
    full = [d for d in days if _is_full(c, by_date, d)]
    if full and len(full) == len(days):
        names = ", ".join(str(c.days[d].date) for d in full)
        return out(
            ReasonCode.DAY_FULL,
            f"가능한 날({names})이 모두 하루 최대 방문 수에 도달했습니다.",
            [str(c.days[d].date) for d in full],
        )
    if not _reachable_alone(c, node_index):
        return out(
            ReasonCode.UNREACHABLE,
            "출발지와 도착지 사이 이동 시간을 고려하면 허용 시간대와 근무 시간 안에 방문할 수 없습니다.",
        )
    rivals = _overlapping_items(c, plan, node_index, full)
    visits = [i for i in rivals if i.kind is ItemKind.VISIT]
    stronger = [i for i in visits if i.worth >= node.worth]
    if stronger:
        return out(
            ReasonCode.OUTVALUED,
            f"같은 시간대에 가치가 같거나 큰 일정이 배치되었습니다: {', '.join(map(_label, stronger[:3]))}.",
            [i.id for i in stronger],
        )
    if visits and sum(i.worth for i in visits) >= node.worth:
        return out(
            ReasonCode.OUTVALUED,
            f"같은 시간대에 배치된 일정들의 가치 합({sum(i.worth for i in visits)})이 이 요청의 가치"
            f"({node.worth})보다 큽니다: {', '.join(map(_label, visits[:4]))}.",
            [i.id for i in visits],
        )
    fixed = [i for i in rivals if i.kind is not ItemKind.VISIT]
    if fixed:
        return out(
            ReasonCode.BLOCKED,
            f"고정 일정·점심·차단 시간이 허용 시간대를 가로막습니다: {', '.join(map(_label, fixed[:3]))}.",
            [i.id for i in fixed],
        )
    return out(
        ReasonCode.NO_ROOM,
        "앞뒤 일정과의 이동 시간을 고려하면 허용 시간대에 들어갈 틈이 없습니다.",
    )


def _overlapping_busy(c: Compiled, pieces: list[tuple[int, tuple[int, int]]]) -> list[Busy]:
    return [
        b
        for b in c.busy
        if any(day == b.day and b.start < hi and lo < b.end for day, (lo, hi) in pieces)
    ]


def _is_full(c: Compiled, by_date: dict[date, DayPlanOut], d: int) -> bool:
    limit = c.days[d].max_visits
    day = by_date.get(c.days[d].date)
    return limit is not None and day is not None and day.visits >= limit


def _reachable_alone(c: Compiled, n: int) -> bool:
    node = c.nodes[n]
    for d in node.days:
        start, end = c.nodes[d], c.nodes[len(c.days) + d]
        lo, hi = c.day_spans[d]
        go = c.travel.bound(start.place, node.place, c.travel.speeds(lo, hi))
        back = c.travel.bound(node.place, end.place, c.travel.speeds(lo, hi))
        for earliest, latest in node.ranges:
            s = max(earliest, lo + go)
            if lo <= earliest <= hi and s <= latest and s + node.duration + back <= hi:
                return True
    return False


def _overlapping_items(c: Compiled, plan: WeekPlanOut, n: int, full: list[int]) -> list[PlanItem]:
    node = c.nodes[n]
    spans = [(c.at(a), c.at(b + node.duration)) for a, b in node.ranges]
    open_dates = {c.days[d].date for d in node.days if d not in full}
    return [
        item
        for day in plan.days
        if day.date in open_dates
        for item in day.items
        if any(item.start < hi and lo < item.end for lo, hi in spans)
    ]
