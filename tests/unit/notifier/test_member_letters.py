"""Letters to members about their requests: composition, keys, delivery state (pure)."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email import policy

from schemas.vocabulary import StopChangeKind
from services.notifier.adapters.member_letters_smtp import build_letter_message
from services.notifier.domain.deliveries import Backoff, Cause
from services.notifier.domain.member_letters import (
    AnsweredItem,
    Letter,
    LetterKind,
    LetterStatus,
    compose_answer_letter,
    compose_session_report,
    letter_id,
    origin_of,
    report_key,
)
from services.notifier.domain.stops import StopView

ANSWERED = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)  # 10:30 in Seoul, Thursday
CAUSE = Cause("corr-1", None, "seoul")


def item(
    request_id: str = "mr-1", answered_at: datetime = ANSWERED, **over: object
) -> AnsweredItem:
    fields: dict[str, object] = {
        "request_id": request_id,
        "member_id": "m-021",
        "member_name": "성빛나",
        "kind": "request",
        "text": "월계역 환승주차장 공사 기간 보행로 안전 확보",
        "district": "노원구",
        "origin": "제311회 정례회",
        "department": "도시기반시설본부",
        "action_taken": "보행 안전펜스 120m 설치 완료",
        "answered_at": answered_at,
    }
    fields.update(over)
    return AnsweredItem(**fields)  # type: ignore[arg-type]


def stop() -> StopView:
    starts = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    return StopView(
        stop_id="stop-1",
        version=1,
        title="송전선로 지중화 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        policy_area=None,
        place_name="월계역",
        district="노원구",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        public=True,
        important=False,
        change=StopChangeKind.SCHEDULED,
    )


def test_origin_names_the_visit_with_its_seoul_date_or_the_session() -> None:
    assert (
        origin_of("stop-1", None, stop())
        == "2026년 12월 1일(화) 현장방문 · 노원구 송전선로 지중화 착공식"
    )
    assert origin_of("stop-9", None, None) == "시장 현장방문(stop-9)"
    assert origin_of(None, "제311회 정례회", None) == "제311회 정례회"


def test_answer_letter_says_what_was_asked_where_by_whom_and_what_was_done() -> None:
    letter = compose_answer_letter(item(kind="question"), contact="secretariat@seoul.example.kr")
    assert letter.subject.startswith("[조치결과] 성빛나 의원님 시정질문: 월계역")
    for expected in (
        "성빛나 의원님, 안녕하십니까.",
        "- 내용: 월계역 환승주차장 공사 기간 보행로 안전 확보",
        "- 제기: 제311회 정례회",
        "- 소관 부서: 도시기반시설본부",
        "- 조치 결과: 보행 안전펜스 120m 설치 완료",
        "- 답변일: 2026년 12월 3일(목)",
        "secretariat@seoul.example.kr",
    ):
        assert expected in letter.text_body
    assert "<th>조치 결과</th><td>보행 안전펜스 120m 설치 완료</td>" in letter.html_body


def test_html_is_escaped() -> None:
    letter = compose_answer_letter(item(text="<script>x</script>"))
    assert "<script>" not in letter.html_body
    assert "&lt;script&gt;" in letter.html_body


def test_session_report_lists_every_item_oldest_first_and_none_without_items() -> None:
    later = item("mr-2", ANSWERED + timedelta(days=1), text="상계동 경로당 냉방기 교체")
    ended = datetime(2026, 12, 18, 8, 0, tzinfo=UTC)
    report = compose_session_report("성빛나", "제311회 정례회", ended, [later, item()])
    assert report is not None
    assert report.subject == "[조치결과 보고] 제311회 정례회 · 성빛나 의원님 2건"
    assert "제311회 정례회(2026년 12월 18일(금) 종료)" in report.text_body
    first = report.text_body.index("1. 월계역")
    second = report.text_body.index("2. 상계동 경로당")
    assert first < second
    assert compose_session_report("성빛나", "제311회 정례회", ended, []) is None


def test_keys_make_one_letter_per_answer_and_per_member_and_session() -> None:
    assert item().key == item().key
    assert item().key != item(answered_at=ANSWERED + timedelta(hours=1)).key
    assert letter_id(item().key) == letter_id(item().key)
    assert letter_id(report_key("m-1", "제311회 정례회")) != letter_id(
        report_key("m-2", "제311회 정례회")
    )


def test_unknown_member_fails_at_once_with_a_korean_reason_and_is_not_retried() -> None:
    content = compose_answer_letter(item())
    letter = Letter.undeliverable(item().key, LetterKind.ANSWER, "m-999", content, CAUSE, ANSWERED)
    assert letter.status is LetterStatus.FAILED
    assert letter.last_error is not None and "명단에 없는 시의원" in letter.last_error
    assert not letter.record_failure("x", ANSWERED, max_attempts=8, backoff=Backoff())
    assert not letter.mark_sent(ANSWERED)


def test_failures_back_off_then_give_up_and_a_refusal_is_final() -> None:
    content = compose_answer_letter(item())
    letter = Letter.queue("k", LetterKind.ANSWER, "m-021", "a@b.kr", content, CAUSE, ANSWERED)
    assert letter.record_failure("down", ANSWERED, max_attempts=2, backoff=Backoff(2, 60))
    assert letter.status is LetterStatus.PENDING
    assert letter.next_attempt_at == ANSWERED + timedelta(seconds=2)
    letter.record_failure("down", ANSWERED, max_attempts=2, backoff=Backoff(2, 60))
    assert letter.status is LetterStatus.FAILED
    refused = Letter.queue("k2", LetterKind.ANSWER, "m-021", "a@b.kr", content, CAUSE, ANSWERED)
    refused.record_failure("550", ANSWERED, max_attempts=8, backoff=Backoff(), permanent=True)
    assert refused.status is LetterStatus.FAILED and refused.attempts == 1


def test_message_has_date_reply_to_stable_message_id_and_is_identical_when_resent() -> None:
    content = compose_answer_letter(item())
    to = "m021@council.example.kr"
    letter = Letter.queue(item().key, LetterKind.ANSWER, "m-021", to, content, CAUSE, ANSWERED)
    sender = ("schedule@seoul.example.kr", "시장 비서실", "secretariat@seoul.example.kr")
    raw = build_letter_message(letter, *sender)
    assert raw == build_letter_message(letter, *sender)
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Message-ID"] == f"<{letter_id(item().key)}@dongseon>"
    assert message["Date"].datetime == ANSWERED
    assert message["Reply-To"] == "secretariat@seoul.example.kr"
    assert message["Subject"] == content.subject
    assert "보행 안전펜스" in message.get_body(preferencelist=("plain",)).get_content()
