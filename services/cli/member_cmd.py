"""`dongseon member show|set|clear`: council members' availability on a running scheduler."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from schemas.vocabulary import SEOUL
from services.cli.client import _call
from services.cli.options import DEFAULT_API, ApiUrl, fail

members = typer.Typer(help="의원 가용 시간 (의원 간담회는 참석 의원이 모두 가능한 때에만 배치)")


def _path(member_id: str) -> str:
    return f"/api/members/{member_id}/availability"


def window_of(text: str) -> dict[str, str]:
    """`START/END` (ISO 8601; without an offset, Seoul time) as an API window."""
    start, sep, end = text.partition("/")
    if not sep:
        raise fail(
            f"'{text}'은(는) 시작/종료 형식이 아닙니다 (예: 2026-12-08T09:00/2026-12-08T12:00).", 2
        )
    try:
        moments = [datetime.fromisoformat(part.strip()) for part in (start, end)]
    except ValueError:
        raise fail(
            f"'{text}'의 날짜·시각을 읽을 수 없습니다 (ISO 8601, 예: 2026-12-08T09:00).", 2
        ) from None
    first, last = (m if m.tzinfo else m.replace(tzinfo=SEOUL) for m in moments)
    return {"start": first.isoformat(), "end": last.isoformat()}


def _print(body: dict[str, Any]) -> None:
    typer.echo(f"{body['name']}({body['member_id']}) 가용 시간")
    if not body["stored"]:
        typer.echo("  저장된 가용 시간 없음: 근무 시간 내내 가능한 것으로 봅니다.")
    elif not body["windows"]:
        typer.echo("  가능한 시간 없음: 이 의원이 참석할 간담회는 배치되지 않습니다.")
    for window in body["windows"]:
        start = datetime.fromisoformat(window["start"]).astimezone(SEOUL)
        end = datetime.fromisoformat(window["end"]).astimezone(SEOUL)
        typer.echo(f"  {start:%Y-%m-%d %H:%M}–{end:%H:%M}")  # a window lies within one day


@members.command("show")
def show(member_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Print when a member can attend council meetings."""
    _print(_call(api, _path(member_id), None, method="GET"))


@members.command("set")
def set_windows(
    member_id: str,
    windows: Annotated[
        list[str],
        typer.Argument(
            help="가능한 시간 시작/종료 (여러 개, 예: 2026-12-08T09:00/2026-12-08T12:00)"
        ),
    ],
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Replace a member's availability with the given windows."""
    body = _call(api, _path(member_id), {"windows": [window_of(w) for w in windows]}, method="PUT")
    _print(body)


@members.command("clear")
def clear(member_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Forget a member's availability: available during working hours again."""
    _call(api, _path(member_id), None, method="DELETE")
    typer.echo(f"{member_id}의 가용 시간을 지웠습니다: 근무 시간 내내 가능한 것으로 봅니다.")
