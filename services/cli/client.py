"""`dongseon propose|confirm`: talk to a running scheduler API and say plainly what went wrong."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import httpx
import typer

from schemas.vocabulary import SEOUL
from services.cli.options import DEFAULT_API, ApiUrl, fail


def propose(
    plan_date: Annotated[str, typer.Argument(help="계획할 날짜 YYYY-MM-DD", metavar="DATE")],
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Ask a running scheduler for a proposal for one day and print it."""
    try:
        day = date.fromisoformat(plan_date)
    except ValueError:
        raise fail(
            f"'{plan_date}'은(는) 올바른 날짜가 아닙니다 (YYYY-MM-DD, 예: 2026-12-01).", 2
        ) from None
    body = _call(api, "/api/proposals", {"plan_date": day.isoformat()}, timeout=120)
    typer.echo(f"제안 {body['id']} ({body['plan_date']}) — 이동 {body['total_travel_minutes']}분")
    for stop in body["stops"]:
        start = datetime.fromisoformat(stop["starts_at"]).astimezone(SEOUL)
        end = datetime.fromisoformat(stop["ends_at"]).astimezone(SEOUL)
        typer.echo(f"  {start:%H:%M}–{end:%H:%M}  {stop['title']}  ({stop['place']['name']})")
    for dropped in body["dropped"]:
        typer.echo(f"  제외: {dropped['title']} — {dropped['reason']}")
    typer.echo(f"확정하려면: dongseon confirm {body['id']}")


def confirm(
    proposal_id: Annotated[str, typer.Argument(help="`dongseon propose`가 알려 준 제안 id")],
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Confirm a proposal on a running scheduler; notices follow."""
    body = _call(api, f"/api/proposals/{proposal_id}/confirm", {}, timeout=30)
    typer.echo(f"{body['plan_date']} 일정 버전 {body['plan_version']} 확정")
    for change in body["changes"]:
        typer.echo(f"  [{change['change']}] {change['title']}")


def _call(api: str, path: str, payload: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    """POST to the API; any failure becomes a Korean message on stderr and a non-zero exit."""
    url = api.rstrip("/") + path
    try:
        response = httpx.post(url, json=payload, timeout=timeout)
    except httpx.ConnectError:
        raise fail(
            f"동선 API({api})에 연결할 수 없습니다. `dongseon up`으로 실행 중인지, "
            "--api 또는 DONGSEON_API 주소가 맞는지 확인해 주세요."
        ) from None
    except httpx.TimeoutException:
        raise fail(f"동선 API({api})가 {timeout:.0f}초 안에 답하지 않았습니다.") from None
    except httpx.HTTPError as error:
        raise fail(f"동선 API({api}) 요청에 실패했습니다: {error.__class__.__name__}") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and isinstance(body, dict):
        return body
    raise fail(_describe_error(response.status_code, body))


def _describe_error(status: int, body: object) -> str:
    """The API's ErrorOut (detail, errors, conflicts) as lines a person can act on."""
    if not isinstance(body, dict) or "detail" not in body:
        return f"동선 API가 예상하지 못한 응답을 보냈습니다 (HTTP {status})."
    lines = [f"오류 (HTTP {status}): {body['detail']}"]
    for error in body.get("errors") or []:
        lines.append(f"  - {error.get('field', '?')}: {error.get('reason', '')}")
    for conflict in body.get("conflicts") or []:
        reason = conflict.get("reason") if isinstance(conflict, dict) else None
        lines.append(f"  - 충돌: {reason or conflict}")
    return "\n".join(lines)
