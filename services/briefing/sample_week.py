"""The sample week as the briefing sees it (stop facts, members' requests), without a database:
for the tests that check every sample briefing and for bench/briefing_day.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from schemas.member_requests import RequestStatus
from schemas.vocabulary import StopChangeKind
from services.briefing.domain.council import CouncilDirectory
from services.briefing.domain.member_requests import MemberRequest, record_request, transition
from services.briefing.domain.talking_points import StopFacts
from services.briefing.sample_requests import SampleRequests, read_sample_requests
from services.sample_data.catalog import load_catalog, materialise_week


def sample_stops(monday: date) -> list[StopFacts]:
    """Every request and commitment of the sample week as a stop at its first window's start."""
    catalog = load_catalog()
    requests, commitments = materialise_week(catalog, monday)
    stops = [
        StopFacts(
            stop_id=f"stop-sample-{i:02d}",
            version=1,
            title=r.title,
            purpose=r.purpose,
            category=r.category,
            policy_area=r.policy_area,
            place_name=catalog.place(r.place_key).name,
            district=r.district,
            starts_at=r.windows[0].start,
            ends_at=r.windows[0].start + timedelta(minutes=r.duration_minutes),
            public=r.public,
            important=r.important,
            requesting_department=r.requesting_department,
            change=StopChangeKind.SCHEDULED,
        )
        for i, r in enumerate(requests)
    ]
    stops += [
        StopFacts(
            stop_id=f"stop-commitment-{i:02d}",
            version=1,
            title=c.title,
            purpose=c.purpose,
            category=c.category,
            policy_area=c.policy_area,
            place_name=catalog.place(c.place_key).name,
            district=c.district,
            starts_at=c.start,
            ends_at=c.end,
            public=c.public,
            important=c.important,
            requesting_department=c.requesting_department,
            change=StopChangeKind.SCHEDULED,
        )
        for i, c in enumerate(commitments)
    ]
    return sorted(stops, key=lambda s: (s.starts_at, s.stop_id))


def sample_member_requests(
    council: CouncilDirectory, now: datetime, sample: SampleRequests | None = None
) -> list[MemberRequest]:
    """The sample requests walked through their steps, as domain objects."""
    result = []
    for i, item in enumerate((sample or read_sample_requests()).requests):
        member = council.get(item.member_id)
        assert member is not None, item.member_id
        at = now - timedelta(days=item.recorded_days_before)
        request = record_request(
            id=f"mr-sample-{i:02d}",
            member_id=member.id,
            member_name=member.name,
            kind=item.kind,
            district=member.district,
            text=item.text,
            stop_id=None,
            session=item.session,
            department=item.department,
            due_date=(at + timedelta(days=item.due_in_days)).date(),
            by="대외협력팀",
            at=at,
        )
        for step in item.steps:
            request = transition(
                request,
                step.status,
                by=step.by,
                at=at + timedelta(days=step.after_days, hours=1),
                note=step.note,
                department=item.department if step.status is RequestStatus.ROUTED else None,
                action_taken=step.action_taken,
            )
        result.append(request)
    return result
