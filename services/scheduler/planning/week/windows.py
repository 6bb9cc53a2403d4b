"""Where a request may start: its windows cut to working hours, members and blocks.

Each step is kept apart so that explain.py can say which one emptied the windows.
"""

from __future__ import annotations

from schemas.planning import Request
from services.scheduler.planning.week.horizon import Compiled, Node, NodeKind, Range


def window_segments(c: Compiled, request: Request) -> list[tuple[int, Range]]:
    """(day, [start, end]) pieces of the request's windows inside working hours."""
    pieces = []
    for window in request.windows:
        a, b = c.minute(window.start), c.minute(window.end)
        for day, (start, end) in enumerate(c.day_spans):
            lo, hi = max(a, start), min(b, end)
            if hi - lo >= request.duration_minutes:
                pieces.append((day, (lo, hi)))
    return pieces


def member_segments(
    c: Compiled, request: Request, pieces: list[tuple[int, Range]]
) -> list[tuple[int, Range]]:
    """The pieces cut down to when every required member is available."""
    members = {m.id: m for m in c.problem.members}
    for member_id in request.member_ids:
        free = [(c.minute(w.start), c.minute(w.end)) for w in members[member_id].availability]
        pieces = [
            (day, (max(lo, a), min(hi, b)))
            for day, (lo, hi) in pieces
            for a, b in free
            if min(hi, b) - max(lo, a) >= request.duration_minutes
        ]
    return pieces


def without_blocks(
    c: Compiled, pieces: list[tuple[int, Range]], duration: int, kinds: tuple[str, ...]
) -> list[tuple[int, Range]]:
    """Pieces minus the busy periods whose ref starts with one of `kinds` ('' = all)."""
    out: list[tuple[int, Range]] = []
    for day, (lo, hi) in pieces:
        parts = [(lo, hi)]
        for busy in c.busy:
            if busy.day != day or not busy.ref.startswith(kinds):
                continue
            parts = [
                part
                for a, b in parts
                for part in ((a, min(b, busy.start)), (max(a, busy.end), b))
                if part[1] - part[0] >= duration
            ]
        out.extend((day, part) for part in parts)
    return out


def request_node(c: Compiled, request: Request) -> Node | None:
    """The request's node, or None when no start is possible (explain.py says why)."""
    pieces = member_segments(c, request, window_segments(c, request))
    pieces = without_blocks(c, pieces, request.duration_minutes, ("blocked@",))
    ranges: list[Range] = []
    days: set[int] = set()
    for day, (lo, hi) in pieces:
        earliest, latest = c.grid_up(lo), c.grid_down(hi - request.duration_minutes)
        if earliest <= latest:
            ranges.append((earliest, latest))
            days.add(day)
    if not ranges:
        return None
    return Node(
        NodeKind.VISIT,
        request.id,
        request.title,
        c.place_index[request.place_id],
        tuple(sorted(days)),
        tuple(_merged(ranges)),
        request.duration_minutes,
        worth=c.problem.weights.priority_worth[request.priority],
        mandatory=request.mandatory,
        source=request.id,
        buffer=max(c.buffers[d] for d in days),
    )


def _merged(ranges: list[Range]) -> list[Range]:
    merged: list[Range] = []
    for earliest, latest in sorted(ranges):
        if merged and earliest <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], latest))
        else:
            merged.append((earliest, latest))
    return merged
