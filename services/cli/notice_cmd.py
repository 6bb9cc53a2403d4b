"""`dongseon notice follow-up|recipient`: the operator's notifier actions from the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from services.cli.client import _call
from services.cli.options import DEFAULT_API, ApiUrl

notices = typer.Typer(help="안내 발송: 언론 발표 후속 안내, 일정별 안내 대상 추가·제외")


@notices.command("follow-up")
def follow_up(
    stop_id: str,
    progress: Annotated[str, typer.Argument(help="발표 이후의 진행 상황 (메일에 그대로 실림)")],
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Mark progress after a press announcement: a numbered follow-up to everyone told of it."""
    body = _call(api, f"/api/stops/{stop_id}/follow-ups", {"progress": progress})
    typer.echo(
        f"{stop_id} 후속 안내 {body['number']}차: {body['recipients']}명에게 발송 대기 — "
        f"{body['progress']}"
    )


@notices.command("recipient")
def recipient(
    stop_id: str,
    member_id: str,
    reason: Annotated[str, typer.Option("--reason", help="추가·제외 사유 (저장되어 안내에 실림)")],
    exclude: Annotated[
        bool, typer.Option("--exclude/--add", help="이 일정의 안내 대상에서 제외 (기본: 추가)")
    ] = False,
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Add or exclude one member for one stop; a member excluded after being told is sent a
    withdrawal of the invitation."""
    action = "exclude" if exclude else "add"
    body = _call(
        api,
        f"/api/stops/{stop_id}/recipients",
        {"member_id": member_id, "action": action, "reason": reason},
    )
    verb = "제외" if exclude else "추가"
    typer.echo(
        f"{stop_id}: {member_id} {verb} ({body['reason']}) — 새로 대기한 안내 {body['queued']}건"
    )
    for decision in body["decisions"]:
        mark = "안내" if decision["included"] else "제외"
        typer.echo(f"  [{mark}] {decision['explanation']}")
