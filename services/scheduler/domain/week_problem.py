"""What is stored, as one week-planner problem (schemas/planning), and its plan as proposals.

A request's required members come with their availability: the stored windows of a
member who has some, the working hours of every day of the range for one who has none
(domain/availability.py). Travel is the problem's own departure-time-dependent Seoul
model (schemas.planning.TravelSettings defaults), as `dongseon plan` has it; a service
with a road-network provider has its planner price the legs into it afterwards
(adapters/road_planner.py), which this pure builder knows nothing of.
Every day starts and ends at the depot (City Hall) within the working hours. The store
keeps no region for a place, so it is the nearest region centre (for the fixed
Seoul–Sejong–Daejeon legs of the travel model).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from schemas.planning import Commitment as ProblemCommitment
from schemas.planning import (
    CouncilMember,
    Day,
    ItemKind,
    LeftOut,
    Lunch,
    Place,
    PlanItem,
    PlanningProblem,
    Request,
    TimeRange,
    WeekPlanOut,
)
from schemas.scheduler import StopKind
from schemas.vocabulary import SEOUL, VisitCategory
from services.scheduler.domain.availability import MemberAvailability, working_hours
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.proposals import (
    DroppedVisit,
    Proposal,
    ProposedLunch,
    ProposedStop,
    WorkingDay,
    commitment_stop_id,
    offered_on,
    visit_stop_id,
)
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    Recurrence,
    VisitRequest,
)
from services.scheduler.domain.requests import Place as StoredPlace
from services.scheduler.planning.problem import TimeWindow

DEPOT = "depot"
REGION_CENTRES = {
    "서울": (37.5665, 126.9780),
    "세종": (36.4801, 127.2890),
    "대전": (36.3504, 127.3845),
}

# A stored proposal's DropReason has three codes; the week planner's seven map to the
# nearest one, and the Korean reason keeps the precise cause and what it names.


@dataclass(frozen=True)
class DayRules:
    """What every planned day has besides its working hours (from settings)."""

    lunch_earliest_start: time = time(11, 30)
    lunch_latest_end: time = time(13, 30)
    lunch_minutes: int = 60
    max_visits: int = 8


@dataclass(frozen=True)
class WeekProblem:
    """The problem, and the stored items its ids stand for (to read the plan back)."""

    problem: PlanningProblem
    requests: dict[str, VisitRequest]
    commitments: dict[str, Commitment]
    kept: frozenset[str] = frozenset()  # confirmed visits the proposal must keep


def week_problem(
    days: Sequence[date],
    requests: Sequence[VisitRequest],
    commitments: Sequence[Commitment],
    working_day: WorkingDay,
    rules: DayRules,
    scheduled_days: Mapping[str, date],
    availability: Mapping[str, MemberAvailability] | None = None,
    member_names: Mapping[str, str] | None = None,
    kept: Collection[str] = frozenset(),
) -> WeekProblem:
    """The range as one problem: the requests offered on some day of it, active commitments.

    A request confirmed on a day of the range keeps only that day's windows (re-planning
    may keep or move it there); one confirmed on another day, or withdrawn, is not offered.
    The members the offered requests need come with `availability` (member id → stored
    windows), named by `member_names` (the roster; else their id). Requests in `kept` (visits
    already confirmed on a day of the range) are mandatory: a proposal keeps them.
    """
    places: dict[StoredPlace, str] = {working_day.depot: DEPOT}

    def place_id(place: StoredPlace) -> str:
        return places.setdefault(place, f"place-{len(places)}")

    offered: dict[str, VisitRequest] = {}
    problem_requests = []
    for request in requests:
        windows = _windows_offered(request, days, scheduled_days)
        if windows:
            offered[request.id] = request
            mandatory = request.mandatory or request.id in kept
            problem_requests.append(_request(request, windows, place_id(request.place), mandatory))
    active = {c.id: c for c in commitments if c.status == CommitmentStatus.ACTIVE}
    problem_commitments = [_commitment(c, place_id(c.place)) for c in active.values()]
    needed = sorted({m for request in offered.values() for m in request.member_ids})
    problem = PlanningProblem(
        days=[_day(day, working_day, rules) for day in days],
        places=[_place(place, key) for place, key in places.items()],
        members=[
            _member(m, days, working_day, availability or {}, member_names or {}) for m in needed
        ],
        commitments=problem_commitments,
        requests=problem_requests,
    )
    return WeekProblem(problem, offered, active, frozenset(kept) & offered.keys())


def proposals_from_plan(
    week: WeekProblem,
    plan: WeekPlanOut,
    proposal_ids: Sequence[str],
    now: datetime,
    correlation_id: str | None,
) -> list[Proposal]:
    """One proposal per day with the solver's times and lunch; a left-out request on its
    first day. Lunch is shown with the day, never made a stop (it is not confirmed)."""
    by_date = {day.date: day for day in plan.days}
    first_day = _first_days(week)
    places = {place.id: place for place in week.problem.places}
    proposals = []
    for proposal_id, problem_day in zip(proposal_ids, week.problem.days, strict=True):
        day = by_date[problem_day.date]
        stops = tuple(
            ProposedStop(
                stop=_stop(week, item.id, problem_day.date, item.start, item.end),
                arrive_at=_arrival(item.start, item.depart_previous, item.travel_minutes_before),
                travel_minutes=item.travel_minutes_before,
            )
            for item in day.items
            if item.kind in (ItemKind.VISIT, ItemKind.COMMITMENT)
        )
        dropped = tuple(
            _dropped(week.requests[out.request_id], out)
            for out in plan.left_out
            if first_day.get(out.request_id) == problem_day.date
        )
        proposals.append(
            Proposal(
                id=proposal_id,
                plan_date=problem_day.date,
                created_at=now,
                stops=stops,
                dropped=dropped,
                total_value=sum(i.worth for i in day.items if i.kind is ItemKind.VISIT),
                total_travel_minutes=day.travel_minutes,
                return_at=_aware(day.arrive_end),
                solver_status=plan.solver_status,
                correlation_id=correlation_id,
                lunch=next(
                    (_lunch(item, places) for item in day.items if item.kind is ItemKind.LUNCH),
                    None,
                ),
            )
        )
    return proposals


def _lunch(item: PlanItem, places: Mapping[str, Place]) -> ProposedLunch:
    """The planned lunch, at the place the plan puts it (where the mayor is)."""
    place = places[item.place_id or DEPOT]
    return ProposedLunch(
        starts_at=_aware(item.start),
        ends_at=_aware(item.end),
        place=StoredPlace(place.name, place.district, place.lat, place.lon),
    )


def _windows_offered(
    request: VisitRequest, days: Sequence[date], scheduled_days: Mapping[str, date]
) -> list[TimeWindow]:
    """The request's windows touching the days it may go on, each once, in order."""
    windows: list[TimeWindow] = []
    for day in days:
        if offered_on(day, request, scheduled_days):
            windows += [w for w in request.windows_on(day) if w not in windows]
    return [w for w in windows if w.end - w.start >= request.duration]


def _first_days(week: WeekProblem) -> dict[str, date]:
    """The first day of the range each request's windows touch: where its reason is shown."""
    dates = [d.date for d in week.problem.days]
    first: dict[str, date] = {}
    for request in week.problem.requests:
        touched = [
            day
            for day in dates
            for w in request.windows
            if w.start.date() <= day <= (w.end - timedelta(microseconds=1)).date()
        ]
        first[request.id] = min(touched, default=dates[0])
    return first


def _member(
    member_id: str,
    days: Sequence[date],
    working_day: WorkingDay,
    availability: Mapping[str, MemberAvailability],
    names: Mapping[str, str],
) -> CouncilMember:
    """A needed member with the stored windows touching the range, or working hours."""
    stored = availability.get(member_id)
    if stored is None:
        windows = working_hours(days, working_day.start, working_day.end)
    else:
        first = datetime.combine(days[0], time.min, SEOUL)
        after = datetime.combine(days[-1] + timedelta(days=1), time.min, SEOUL)
        windows = tuple(w for w in stored.windows if w.start < after and w.end > first)
    return CouncilMember(
        id=member_id,
        name=names.get(member_id, member_id),
        availability=[TimeRange(start=_local(w.start), end=_local(w.end)) for w in windows],
    )


def _day(day: date, working_day: WorkingDay, rules: DayRules) -> Day:
    return Day(
        date=day,
        start=working_day.start,
        end=working_day.end,
        start_place_id=DEPOT,
        end_place_id=DEPOT,
        lunch=Lunch(
            earliest_start=rules.lunch_earliest_start,
            latest_end=rules.lunch_latest_end,
            duration_minutes=rules.lunch_minutes,
        ),
        max_visits=rules.max_visits,
    )


def _place(place: StoredPlace, key: str) -> Place:
    return Place(
        id=key,
        name=place.name,
        district=place.district,
        lat=place.latitude,
        lon=place.longitude,
        region=_region(place),
    )


def _region(place: StoredPlace) -> str:
    def away(centre: tuple[float, float]) -> float:
        return (place.latitude - centre[0]) ** 2 + (place.longitude - centre[1]) ** 2

    return min(REGION_CENTRES, key=lambda region: away(REGION_CENTRES[region]))


def _request(
    request: VisitRequest, windows: list[TimeWindow], place_id: str, mandatory: bool
) -> Request:
    return Request(
        id=request.id,
        title=request.title,
        place_id=place_id,
        duration_minutes=int(request.duration.total_seconds() // 60),
        windows=[TimeRange(start=_local(w.start), end=_local(w.end)) for w in windows],
        priority=request.priority,
        mandatory=mandatory,
        category=VisitCategory(request.category),
        public=request.public,
        department=request.requesting_department,
        member_ids=list(request.member_ids),
    )


def _commitment(commitment: Commitment, place_id: str) -> ProblemCommitment:
    """RRULE and EXDATE pass through; a plain weekly recurrence becomes FREQ=WEEKLY."""
    start = _local(commitment.starts_at)
    rrule = commitment.rrule
    if rrule is None and commitment.recurrence == Recurrence.WEEKLY:
        rrule = "FREQ=WEEKLY"
    return ProblemCommitment(
        id=commitment.id,
        title=commitment.title,
        place_id=place_id,
        start=start,
        end=_local(commitment.ends_at),
        rrule=rrule,
        exdates=[datetime.combine(day, start.time()) for day in commitment.exdates],
        covers_lunch=commitment.covers_lunch,
    )


def _stop(week: WeekProblem, item_id: str, day: date, start: datetime, end: datetime) -> Stop:
    source: VisitRequest | Commitment
    if item_id in week.requests:
        source, kind, stop_id = week.requests[item_id], StopKind.VISIT, visit_stop_id(item_id)
    else:
        commitment_id = item_id.rsplit("@", 1)[0]  # the planner names occurrences id@DATE
        source, kind = week.commitments[commitment_id], StopKind.COMMITMENT
        stop_id = commitment_stop_id(commitment_id, day)
    return Stop(
        stop_id=stop_id,
        source_id=source.id,
        kind=kind,
        title=source.title,
        purpose=source.purpose,
        category=source.category,
        policy_area=source.policy_area,
        place=source.place,
        starts_at=_aware(start),
        ends_at=_aware(end),
        public=source.public,
        important=source.important,
        requesting_department=source.requesting_department,
        attendee_ids=source.member_ids if isinstance(source, VisitRequest) else (),
    )


def _arrival(start: datetime, depart: datetime | None, minutes: int) -> datetime:
    """When the mayor arrives: leaving the previous place plus the leg (else the start)."""
    return _aware(start if depart is None else depart + timedelta(minutes=minutes))


def _dropped(request: VisitRequest, out: LeftOut) -> DroppedVisit:
    reason = out.reason
    if request.mandatory:
        reason = f"필수 요청이지만 이 기간에 배치하지 못했습니다. {reason}"
    return DroppedVisit(request.id, request.title, out.code, reason, request.mandatory)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(SEOUL).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=SEOUL)
