"""The packaged sample data loads, validates and materialises into a concrete week."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL, SEOUL_DISTRICTS, VisitCategory
from services.sample_data.catalog import (
    DATA_DIR,
    ROLE_COUNTS,
    SEOUL_LAT,
    SEOUL_LON,
    STANDING_COMMITTEES,
    STEERING_COMMITTEE,
    Catalog,
    LeadershipRole,
    load_catalog,
    materialise_week,
    week_of,
)
from services.sample_data.geography import (
    MAX_KM_FROM_CENTROID,
    distance_km,
    in_seoul,
    misplaced,
)
from services.sample_data.week_items import SampleWeek

MONDAY = date(2025, 3, 3)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_catalog_loads(catalog: Catalog) -> None:
    assert len(catalog.districts) == 25
    assert 18 <= len(catalog.requests) <= 25
    assert 2 <= len(catalog.commitments) <= 4


def test_districts_are_the_25_inside_seoul(catalog: Catalog) -> None:
    names = [d.name for d in catalog.districts]
    assert len(set(names)) == 25
    assert set(names) == set(SEOUL_DISTRICTS)
    assert len({d.code for d in catalog.districts}) == 25
    for d in catalog.districts:
        assert SEOUL_LAT[0] <= d.latitude <= SEOUL_LAT[1], d
        assert SEOUL_LON[0] <= d.longitude <= SEOUL_LON[1], d
        assert d.office == f"{d.name}청"
    jongno = next(d for d in catalog.districts if d.code == "jongno")
    assert (jongno.name, jongno.latitude, jongno.longitude) == ("종로구", 37.5735, 126.9790)


def test_places_reference_known_districts(catalog: Catalog) -> None:
    names = {d.name for d in catalog.districts}
    for p in catalog.places:
        assert p.district in names or p.district == OUTSIDE_SEOUL, p
        if p.district != OUTSIDE_SEOUL:
            assert SEOUL_LAT[0] <= p.latitude <= SEOUL_LAT[1], p
            assert SEOUL_LON[0] <= p.longitude <= SEOUL_LON[1], p
    hall = catalog.place("city-hall")
    assert (hall.name, hall.district) == ("서울시청", "중구")
    briefing = catalog.place("city-hall-briefing-room")
    assert (briefing.latitude, briefing.longitude) == (hall.latitude, hall.longitude)


def test_roster_is_fictional_with_example_addresses(catalog: Catalog) -> None:
    roster = catalog.roster
    assert roster.fictional is True
    assert "가상" in roster.notice
    assert all(m.email.endswith("example.kr") for m in roster.members)
    assert len({m.email for m in roster.members}) == len(roster.members)


def test_every_district_has_a_member(catalog: Catalog) -> None:
    for d in catalog.districts:
        assert catalog.members_in(d.name), d.name


def test_committees_are_standing_committees_with_three_members(catalog: Catalog) -> None:
    per = Counter(c for m in catalog.roster.members for c in m.committees)
    assert set(per) == set(STANDING_COMMITTEES)
    assert min(per.values()) >= 3


def test_leadership_role_counts(catalog: Catalog) -> None:
    members = catalog.roster.members
    counts = Counter(r for m in members for r in m.roles)
    assert counts[LeadershipRole.CHAIR] == 1
    assert counts[LeadershipRole.VICE_CHAIR] == 2
    assert counts[LeadershipRole.STEERING_CHAIR] == 1
    assert counts[LeadershipRole.CAUCUS_LEADER] == 2
    assert counts[LeadershipRole.COMMITTEE_CHAIR] == len(STANDING_COMMITTEES)
    assert dict(counts) == ROLE_COUNTS
    steering = [m for m in members if LeadershipRole.STEERING_CHAIR in m.roles]
    assert STEERING_COMMITTEE in steering[0].committees
    leaders = [m.caucus for m in members if LeadershipRole.CAUCUS_LEADER in m.roles]
    assert len(set(leaders)) == 2
    chaired = [
        c for m in members if LeadershipRole.COMMITTEE_CHAIR in m.roles for c in m.committees
    ]
    assert sorted(chaired) == sorted(STANDING_COMMITTEES)


def test_week_template_shape(catalog: Catalog) -> None:
    per_day = Counter(r.day for r in catalog.requests)
    assert all(3 <= per_day[d] <= 5 for d in range(5)), per_day
    assert any(not r.public for r in catalog.requests)
    assert any(r.important for r in catalog.requests)
    assert any(len(r.windows) == 2 for r in catalog.requests)
    press = [r for r in catalog.requests if r.category is VisitCategory.PRESS]
    assert any(r.place_key == "city-hall-briefing-room" for r in press)
    council = [r for r in catalog.requests if r.category is VisitCategory.COUNCIL_MEETING]
    assert any(r.place_key == "seoul-council" for r in council)
    cabinet = [c for c in catalog.commitments if c.place_key == "yongsan-presidential-office"]
    assert cabinet and cabinet[0].day == 1 and cabinet[0].start == time(10, 0)
    assert cabinet[0].recurrence == "weekly"


def test_mou_trip_is_sejong_then_daejeon_on_one_day(catalog: Catalog) -> None:
    sejong = next(r for r in catalog.requests if r.place_key == "sejong-city-hall")
    daejeon = next(r for r in catalog.requests if r.place_key == "daejeon-city-hall")
    assert sejong.day == daejeon.day
    assert sejong.windows[0].start == time(11, 0)
    assert daejeon.windows[0].start == time(14, 0)


def test_some_day_is_over_subscribed(catalog: Catalog) -> None:
    """Two requests on one day whose windows' span cannot hold both durations."""

    def clash(a, b) -> bool:  # noqa: ANN001
        for wa in a.windows:
            for wb in b.windows:
                lo = min(wa.start, wb.start)
                hi = max(wa.end, wb.end)
                span = (hi.hour * 60 + hi.minute) - (lo.hour * 60 + lo.minute)
                if a.duration_minutes + b.duration_minutes <= span:
                    return False
        return True

    reqs = catalog.requests
    clashes = [
        (a, b) for i, a in enumerate(reqs) for b in reqs[i + 1 :] if a.day == b.day and clash(a, b)
    ]
    assert clashes
    # The planner has something low-priority to drop.
    assert any(min(a.priority, b.priority) <= 2 for a, b in clashes)


def test_week_materialises_to_monday_to_friday_in_seoul(catalog: Catalog) -> None:
    requests, commitments = materialise_week(catalog, MONDAY)
    friday = MONDAY + timedelta(days=4)
    assert {r.date for r in requests} == {MONDAY + timedelta(days=i) for i in range(5)}
    for r in requests:
        assert MONDAY <= r.date <= friday
        for w in r.windows:
            for dt in (w.start, w.end):
                assert dt.tzinfo is not None and dt.utcoffset() == timedelta(hours=9)
                assert dt.tzinfo == SEOUL
                assert dt.date() == r.date
    for c in commitments:
        assert c.start.tzinfo == SEOUL and c.end.tzinfo == SEOUL
        assert c.start.date() == c.date and c.start < c.end
    cabinet = next(c for c in commitments if c.place_key == "yongsan-presidential-office")
    assert cabinet.date == MONDAY + timedelta(days=1)
    assert (cabinet.start.hour, cabinet.start.minute) == (10, 0)


def test_every_window_fits_a_working_day(catalog: Catalog) -> None:
    requests, commitments = materialise_week(catalog, MONDAY)
    spans = [(w.start, w.end) for r in requests for w in r.windows]
    spans += [(c.start, c.end) for c in commitments]
    for start, end in spans:
        assert time(7, 0) <= start.timetz().replace(tzinfo=None) < end.time() <= time(22, 0)
    for r in requests:
        assert any((w.end - w.start) >= timedelta(minutes=r.duration_minutes) for w in r.windows), (
            r.ref
        )


def test_week_of_groups_by_day(catalog: Catalog) -> None:
    days = week_of(MONDAY, catalog)
    assert [d.date for d in days] == [MONDAY + timedelta(days=i) for i in range(5)]
    assert sum(len(d.requests) for d in days) == len(catalog.requests)
    assert sum(len(d.commitments) for d in days) == len(catalog.commitments)


def test_materialise_rejects_a_non_monday(catalog: Catalog) -> None:
    with pytest.raises(ValueError):
        materialise_week(catalog, MONDAY + timedelta(days=1))


def _copy_with(tmp_path: Path, name: str, edit) -> Path:  # noqa: ANN001
    for f in DATA_DIR.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_rejects_unknown_place_key(tmp_path: Path) -> None:
    def edit(reqs: list) -> None:
        reqs[0]["place_key"] = "nowhere"

    with pytest.raises(ValidationError, match="unknown place"):
        load_catalog(_copy_with(tmp_path, "week_requests.json", edit))


def test_rejects_unknown_category(tmp_path: Path) -> None:
    def edit(reqs: list) -> None:
        reqs[0]["category"] = "party"

    with pytest.raises(ValidationError):
        load_catalog(_copy_with(tmp_path, "week_requests.json", edit))


def test_rejects_a_roster_not_marked_fictional(tmp_path: Path) -> None:
    def edit(roster: dict) -> None:
        roster["fictional"] = False

    with pytest.raises(ValidationError, match="fictional"):
        load_catalog(_copy_with(tmp_path, "council_roster.json", edit))


def test_rejects_unknown_committee(tmp_path: Path) -> None:
    def edit(roster: dict) -> None:
        roster["members"][20]["committees"] = ["예산결산특별위원회"]

    with pytest.raises(ValidationError, match="unknown committees"):
        load_catalog(_copy_with(tmp_path, "council_roster.json", edit))


def test_rejects_a_real_looking_email_domain(tmp_path: Path) -> None:
    def edit(roster: dict) -> None:
        roster["members"][0]["email"] = "someone@smc.seoul.kr"

    with pytest.raises(ValidationError, match="example"):
        load_catalog(_copy_with(tmp_path, "council_roster.json", edit))


def test_district_centroids_are_in_seoul_near_their_offices(catalog: Catalog) -> None:
    for d in catalog.districts:
        assert in_seoul(d.centroid_latitude, d.centroid_longitude), d
        office_km = distance_km(d.latitude, d.longitude, d.centroid_latitude, d.centroid_longitude)
        assert office_km < 4, (d.name, office_km)


def test_every_seoul_place_is_near_its_district_centroid(catalog: Catalog) -> None:
    centres = {d.name: d for d in catalog.districts}
    for p in catalog.places:
        if p.district != OUTSIDE_SEOUL:
            centre = centres[p.district]
            away = distance_km(
                p.latitude, p.longitude, centre.centroid_latitude, centre.centroid_longitude
            )
            assert away <= MAX_KM_FROM_CENTROID, (p.key, away)


def test_distance_is_the_great_circle() -> None:
    # City Hall to the Gangnam-gu office: about 8.2 km as the crow flies.
    assert distance_km(37.5663, 126.9779, 37.5172, 127.0473) == pytest.approx(8.2, abs=0.2)
    assert distance_km(37.5, 127.0, 37.5, 127.0) == 0


def test_misplaced_accepts_a_place_in_its_district_and_anything_outside_seoul() -> None:
    assert misplaced("서대문구", 37.5747, 126.9456) is None  # 인왕시장
    assert misplaced(OUTSIDE_SEOUL, 36.4800, 127.2890) is None  # 세종
    assert misplaced("없는구", 37.5, 127.0) is None  # unknown names are refused elsewhere


def test_misplaced_names_the_distance_from_the_wrong_district() -> None:
    reason = misplaced("노원구", 37.5172, 127.0473)  # 강남구청
    assert reason is not None and "노원구" in reason and "km" in reason


def test_misplaced_refuses_coordinates_outside_seoul_for_a_seoul_district() -> None:
    reason = misplaced("중구", 35.1796, 129.0756)  # 부산
    assert reason is not None and "서울 밖" in reason


def test_rejects_a_place_filed_under_the_wrong_district(tmp_path: Path) -> None:
    def edit(places: list) -> None:
        city_hall = next(p for p in places if p["key"] == "city-hall")
        city_hall["district"] = "노원구"

    with pytest.raises(ValidationError, match="노원구"):
        load_catalog(_copy_with(tmp_path, "places.json", edit))


# ---------------------------------------------------------------- the realistic week


@pytest.fixture(scope="module")
def full_week() -> SampleWeek:
    from services.sample_data.full_week import sample_week
    from services.sample_data.week_problem import PROBLEM_MONDAY

    return sample_week(PROBLEM_MONDAY)


def test_the_realistic_week_covers_the_reports_variety(full_week: SampleWeek) -> None:
    requests = full_week.requests
    assert 140 <= len(requests) <= 160
    assert {r.venue.district for r in requests} >= set(SEOUL_DISTRICTS)
    assert {r.category for r in requests} == set(VisitCategory) - {VisitCategory.FIXED_COMMITMENT}
    days = {start.date() for r in requests for start, _ in r.windows}
    assert days == {full_week.monday + timedelta(days=d) for d in range(7)}
    assert any(len({s.date() for s, _ in r.windows}) > 1 for r in requests), "multi-day"
    assert 3 <= sum(r.mandatory for r in requests) <= 8
    meetings = [r for r in requests if r.category == VisitCategory.COUNCIL_MEETING]
    assert 9 <= len(meetings) <= 12 and all(m.member_ids for m in meetings)
    members = {m for r in meetings for m in r.member_ids}
    assert members <= set(full_week.availability)
    assert len({r.title for r in requests}) >= 0.9 * len(requests), "titles mostly distinct"


def test_the_realistic_week_has_the_fixed_commitments_of_the_reports(
    full_week: SampleWeek,
) -> None:
    by_ref = {c.ref: c for c in full_week.commitments}
    assert 5 <= len(by_ref) <= 10
    cabinet = by_ref["cm-cabinet"]
    start = cabinet.start.astimezone(SEOUL)
    assert (start.weekday(), start.time(), cabinet.venue.district) == (1, time(10), "용산구")
    assert cabinet.rrule == "FREQ=WEEKLY;BYDAY=TU" and cabinet.exdates
    assert by_ref["cm-plenary"].covers_lunch
    trip = {by_ref["cm-sejong"].venue.region, by_ref["cm-daejeon"].venue.region}
    assert trip == {"세종", "대전"}
    assert by_ref["cm-sejong"].start.date() == by_ref["cm-daejeon"].start.date()


def test_the_realistic_week_is_the_same_every_time(full_week: SampleWeek) -> None:
    from services.sample_data.full_week import sample_week

    assert sample_week(full_week.monday) == full_week


def test_the_api_accepts_every_item_of_the_realistic_week(full_week: SampleWeek) -> None:
    """Each request and commitment validates as the API's create command (districts, 8 km)."""
    from services.cli.sample import full_week_commands

    commitments, requests = full_week_commands(full_week, full_week.monday - timedelta(days=7))
    assert (len(commitments), len(requests)) == (
        len(full_week.commitments),
        len(full_week.requests),
    )
    assert requests[0].mandatory and commitments[1].rrule


def test_the_committed_problem_file_is_current(full_week: SampleWeek) -> None:
    """Regenerate with `python -m services.sample_data.week_problem` when this fails."""
    from schemas.planning import PlanningProblem
    from services.sample_data.week_problem import PROBLEM_FILE, render, week_problem

    committed = PROBLEM_FILE.read_text(encoding="utf-8")
    assert committed == render(week_problem(full_week))
    problem = PlanningProblem.model_validate_json(committed)
    assert len(problem.days) == 7 and len(problem.requests) == len(full_week.requests)
    assert {p.region for p in problem.places} >= {"서울", "세종", "대전"}
