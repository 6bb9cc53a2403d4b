"""The problem file compiled into solver nodes: absolute minutes over the horizon.

Minute 0 is midnight (local) of the first day. Every node has a place, the days (vehicles)
it may go on, and its allowed start ranges on the grid. Pure: no solver, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from dateutil.rrule import rruleset, rrulestr

from schemas.planning import Commitment, Day, PlanningProblem
from services.scheduler.planning.week.travel import WeekTravel

Range = tuple[int, int]  # inclusive (earliest start, latest start) in absolute minutes


class NodeKind(StrEnum):
    START = "start"
    END = "end"
    COMMITMENT = "commitment"
    BLOCKED = "blocked"  # a blocked period at a place
    LUNCH = "lunch"  # a lunch at a named place
    VISIT = "visit"


@dataclass(frozen=True)
class Node:
    kind: NodeKind
    ref: str  # request/commitment id; 'lunch@DATE', 'blocked@DATE#k', 'start@DATE'
    title: str
    place: int
    days: tuple[int, ...]
    ranges: tuple[Range, ...]
    duration: int
    worth: int = 0
    mandatory: bool = True
    source: str = ""  # commitment id of an occurrence, request id of a visit
    buffer: int = 0  # kept free before and after (visits: the largest of its days')

    @property
    def occupy(self) -> int:
        """Minutes the mayor is held at the place: buffer, the item, buffer."""
        return self.duration + 2 * self.buffer


@dataclass(frozen=True)
class Break:
    """A period without travel or visits on one day: lunch where the mayor is, or a block."""

    day: int
    ref: str
    title: str
    earliest: int
    latest: int  # latest start
    duration: int
    is_lunch: bool


@dataclass(frozen=True)
class Busy:
    """A fixed period of a day (commitment, block, lunch window) for explanations."""

    day: int
    ref: str
    title: str
    start: int
    end: int


@dataclass
class Compiled:
    problem: PlanningProblem
    origin: datetime
    travel: WeekTravel
    nodes: list[Node]
    breaks: list[Break]
    busy: list[Busy]
    day_spans: list[Range]  # (start, end) working minutes of each day
    buffers: list[int]
    place_index: dict[str, int]
    lunch_covered: set[int] = field(default_factory=set)
    request_nodes: dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> list[Day]:
        return self.problem.days

    def minute(self, moment: datetime) -> int:
        return math.floor((moment - self.origin).total_seconds() / 60)

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def grid_up(self, minute: int) -> int:
        g = self.problem.grid_minutes
        return -(-minute // g) * g

    def grid_down(self, minute: int) -> int:
        g = self.problem.grid_minutes
        return minute // g * g


def _clock(day_offset: int, moment: time) -> int:
    return day_offset + moment.hour * 60 + moment.minute


def occurrences(commitment: Commitment, first: datetime, last: datetime) -> list[datetime]:
    """Starts of a commitment between first and last (RRULE + EXDATE via dateutil)."""
    if commitment.rrule is None:
        return [commitment.start] if first <= commitment.start <= last else []
    rules = rruleset()
    rules.rrule(rrulestr(commitment.rrule, dtstart=commitment.start))
    for excluded in commitment.exdates:
        rules.exdate(excluded)
    return list(rules.between(first, last, inc=True))


def compile_problem(problem: PlanningProblem) -> Compiled:
    """Nodes 0..D-1 are the days' starts, D..2D-1 their ends, then fixed items, then visits."""
    first = problem.days[0].date
    origin = datetime(first.year, first.month, first.day)
    place_index = {p.id: i for i, p in enumerate(problem.places)}
    c = Compiled(
        problem,
        origin,
        WeekTravel(problem.places, problem.travel),
        [],
        [],
        [],
        [],
        [d.buffer_minutes for d in problem.days],
        place_index,
    )
    offsets = [(d.date - first).days * 1440 for d in problem.days]
    c.day_spans = [
        (_clock(o, d.start), _clock(o, d.end)) for o, d in zip(offsets, problem.days, strict=True)
    ]
    for kind in (NodeKind.START, NodeKind.END):
        for i, day in enumerate(problem.days):
            place = day.start_place_id if kind is NodeKind.START else day.end_place_id
            c.nodes.append(
                Node(kind, f"{kind}@{day.date}", "", place_index[place], (i,), (c.day_spans[i],), 0)
            )
    _commitments(c)
    _days_fixed(c, offsets)
    from services.scheduler.planning.week.windows import request_node

    for request in problem.requests:
        node = request_node(c, request)
        if node is not None:
            c.request_nodes[request.id] = len(c.nodes)
            c.nodes.append(node)
    return c


def _day_of(c: Compiled, minute: int) -> int | None:
    for i, (start, end) in enumerate(c.day_spans):
        if start <= minute < end:
            return i
    return None


def _commitments(c: Compiled) -> None:
    first, last = c.at(c.day_spans[0][0]), c.at(c.day_spans[-1][1])
    for commitment in c.problem.commitments:
        length = c.minute(commitment.end) - c.minute(commitment.start)
        for start in occurrences(commitment, first - timedelta(days=1), last):
            begin = c.minute(start)
            day = _day_of(c, begin)
            if day is None:
                continue
            ref = f"{commitment.id}@{c.days[day].date}"
            c.nodes.append(
                Node(
                    NodeKind.COMMITMENT,
                    ref,
                    commitment.title,
                    c.place_index[commitment.place_id],
                    (day,),
                    ((begin, begin),),
                    length,
                    source=commitment.id,
                )
            )
            c.busy.append(Busy(day, ref, commitment.title, begin, begin + length))
            if commitment.covers_lunch:
                c.lunch_covered.add(day)


def _days_fixed(c: Compiled, offsets: list[int]) -> None:
    for i, day in enumerate(c.days):
        span = c.day_spans[i]
        for k, block in enumerate(day.blocked):
            start = span[0] if block.start is None else _clock(offsets[i], block.start)
            end = span[1] if block.end is None else _clock(offsets[i], block.end)
            ref = f"blocked@{day.date}#{k}"
            c.busy.append(Busy(i, ref, block.name, start, end))
            if block.place_id is not None:
                c.nodes.append(
                    Node(
                        NodeKind.BLOCKED,
                        ref,
                        block.name,
                        c.place_index[block.place_id],
                        (i,),
                        ((start, start),),
                        end - start,
                    )
                )
            elif (start, end) != span:
                c.breaks.append(Break(i, ref, block.name, start, start, end - start, False))
        if day.lunch is None or i in c.lunch_covered or _whole_day_blocked(c, i):
            continue
        lunch = day.lunch
        earliest = max(_clock(offsets[i], lunch.earliest_start), span[0])
        latest = min(_clock(offsets[i], lunch.latest_end), span[1]) - lunch.duration_minutes
        earliest = c.grid_up(earliest)
        ref = f"lunch@{day.date}"
        if lunch.place_id is None:
            c.breaks.append(Break(i, ref, "점심", earliest, latest, lunch.duration_minutes, True))
        else:
            c.nodes.append(
                Node(
                    NodeKind.LUNCH,
                    ref,
                    "점심",
                    c.place_index[lunch.place_id],
                    (i,),
                    ((earliest, latest),),
                    lunch.duration_minutes,
                )
            )


def _whole_day_blocked(c: Compiled, day: int) -> bool:
    return any(b.day == day and (b.start, b.end) == c.day_spans[day] for b in c.busy)
