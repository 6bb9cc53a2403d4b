"""What changed between two versions of a stop, as the next briefing version says it."""

from __future__ import annotations

from schemas.vocabulary import StopChangeKind
from services.briefing.domain.talking_points import StopFacts, format_period, format_place


def changes_since(previous: StopFacts, now: StopFacts) -> tuple[str, ...]:
    """What changed since the last briefing, one Korean line per field."""
    pairs = [
        ("일정명", previous.title, now.title),
        (
            "일시",
            format_period(previous.starts_at, previous.ends_at),
            format_period(now.starts_at, now.ends_at),
        ),
        ("장소", format_place(previous), format_place(now)),
        ("방문 목적", previous.purpose, now.purpose),
        ("공개 여부", _public(previous), _public(now)),
        ("중요 행사", _yes(previous.important), _yes(now.important)),
        ("참석 대상 시의원", _ids(previous), _ids(now)),
    ]
    lines = tuple(f"{name}: {old} → {new}" for name, old, new in pairs if old != new)
    if now.change is StopChangeKind.CANCELLED:
        return ("일정 취소", *lines)
    return lines or ("변경된 항목 없음(일정 재확정)",)


def _public(facts: StopFacts) -> str:
    return "공개" if facts.public else "비공개"


def _yes(flag: bool) -> str:
    return "예" if flag else "아니오"


def _ids(facts: StopFacts) -> str:
    return ", ".join(sorted(facts.attendee_ids)) or "지정 없음"
