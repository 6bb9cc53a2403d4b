"""Errors handlers raise and entrypoints translate (HTTP 404/409/422, CLI exit codes)."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of the errors a user can act on."""


@dataclass
class NotFound(DomainError):
    what: str
    id: str

    def __str__(self) -> str:
        return f"{self.what} {self.id!r}을(를) 찾을 수 없습니다."


@dataclass
class InvalidInput(DomainError):
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass
class StateConflict(DomainError):
    reason: str
    details: list[dict[str, object]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.reason


#: Where a request value came from; dropped from field paths (`body.place.name` → `place.name`).
LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})

#: Korean reasons for pydantic's error types, formatted with the error's `ctx`.
REASONS: dict[str, str] = {
    "missing": "필수 항목입니다",
    "extra_forbidden": "허용되지 않는 항목입니다",
    "string_type": "문자열이어야 합니다",
    "string_too_short": "{min_length}자 이상이어야 합니다",
    "string_too_long": "{max_length}자 이하여야 합니다",
    "string_pattern_mismatch": "형식이 올바르지 않습니다 (패턴 {pattern})",
    "int_type": "정수여야 합니다",
    "int_parsing": "정수여야 합니다",
    "int_from_float": "소수점 없는 정수여야 합니다",
    "float_type": "숫자여야 합니다",
    "float_parsing": "숫자여야 합니다",
    "finite_number": "유한한 숫자여야 합니다",
    "bool_type": "참/거짓(true/false)이어야 합니다",
    "bool_parsing": "참/거짓(true/false)이어야 합니다",
    "greater_than": "{gt}보다 커야 합니다",
    "greater_than_equal": "{ge} 이상이어야 합니다",
    "less_than": "{lt}보다 작아야 합니다",
    "less_than_equal": "{le} 이하여야 합니다",
    "multiple_of": "{multiple_of}의 배수여야 합니다",
    "too_short": "{min_length}개 이상이어야 합니다",
    "too_long": "{max_length}개 이하여야 합니다",
    "list_type": "목록(JSON 배열)이어야 합니다",
    "dict_type": "객체(JSON object)여야 합니다",
    "model_type": "객체(JSON object)여야 합니다",
    "model_attributes_type": "객체(JSON object)여야 합니다",
    "enum": "다음 중 하나여야 합니다: {expected}",
    "literal_error": "다음 중 하나여야 합니다: {expected}",
    "date_type": "날짜(YYYY-MM-DD)여야 합니다",
    "date_parsing": "날짜(YYYY-MM-DD) 형식이 아닙니다",
    "date_from_datetime_parsing": "날짜(YYYY-MM-DD) 형식이 아닙니다",
    "date_from_datetime_inexact": "시각 없이 날짜(YYYY-MM-DD)만 적어야 합니다",
    "datetime_type": "일시(ISO 8601)여야 합니다",
    "datetime_parsing": "일시(ISO 8601, 예: 2026-12-01T10:00:00+09:00) 형식이 아닙니다",
    "datetime_from_date_parsing": "일시(ISO 8601, 예: 2026-12-01T10:00:00+09:00) 형식이 아닙니다",
    "datetime_object_invalid": "존재하지 않는 일시입니다",
    "timezone_aware": "시간대가 포함된 일시여야 합니다 (예: +09:00)",
    "timezone_naive": "시간대 없는 일시여야 합니다",
    "time_parsing": "시각(HH:MM) 형식이 아닙니다",
    "uuid_parsing": "UUID 형식이 아닙니다",
    "json_invalid": "JSON 형식이 올바르지 않습니다",
    "union_tag_invalid": "알 수 없는 종류입니다",
}


def field_name(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """A dotted path into the request, without the location prefix; `body` for the whole."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def reason_for(error: dict[str, object] | object) -> str:
    """A pydantic error in Korean: our own validators' text, or the table for its type."""
    item: dict[str, object] = dict(error) if isinstance(error, dict) else {}
    kind = str(item.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        return (
            str(item.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    template = REASONS.get(kind)
    if template is None:
        return f"값이 올바르지 않습니다 ({kind})"
    context = item.get("ctx")
    values = (
        {k: str(v).replace(" or ", ", ") for k, v in (context or {}).items()}
        if isinstance(context, dict)
        else {}
    )
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return "값이 올바르지 않습니다"
