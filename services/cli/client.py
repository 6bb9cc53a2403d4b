"""`dongseon propose|confirm|request|commitment`: talk to a running scheduler API.

Every failure is said plainly in Korean on stderr with a non-zero exit.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import httpx
import typer

from schemas.vocabulary import SEOUL
from services.cli.options import DEFAULT_API, ApiUrl, fail


def propose(
    plan_date: Annotated[str, typer.Argument(help="계획할 날짜 YYYY-MM-DD", metavar="DATE")],
    end: Annotated[
        str | None,
        typer.Argument(help="기간의 마지막 날 YYYY-MM-DD (주면 DATE부터 최대 14일)", metavar="END"),
    ] = None,
    replan: Annotated[
        list[str] | None,
        typer.Option(
            "--replan",
            help="다시 계획해도 되는 확정 방문의 요청 id 또는 stop id (여러 번 줄 수 있음)",
        ),
    ] = None,
    replan_all: Annotated[
        bool, typer.Option("--replan-all", help="기간의 확정 방문을 모두 다시 계획")
    ] = False,
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Ask a running scheduler for a proposal for one day, or a range of days, and print it.

    Visits already confirmed on those days are kept unless named with --replan."""
    first = _date(plan_date)
    options = {"replan": replan or [], "replan_all": replan_all}
    if end is None:
        body = _call(
            api, "/api/proposals", {"plan_date": first.isoformat(), **options}, timeout=120
        )
        _print_day(body)
    else:
        payload = {"start": first.isoformat(), "end": _date(end).isoformat(), **options}
        body = _call(api, "/api/proposals", payload, timeout=600)
        typer.echo(f"기간 제안 {body['id']} ({body['start']}~{body['end']})")
        for day in body["days"]:
            _print_day(day)
    typer.echo(f"확정하려면: dongseon confirm {body['id']}")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(
            f"'{text}'은(는) 올바른 날짜가 아닙니다 (YYYY-MM-DD, 예: 2026-12-01).", 2
        ) from None


def _print_day(body: dict[str, Any]) -> None:
    """The day's stops and its lunch in time order, then what was left out and why."""
    typer.echo(f"제안 {body['id']} ({body['plan_date']}) — 이동 {body['total_travel_minutes']}분")
    items = [*body["stops"], *([body["lunch"]] if body.get("lunch") else [])]
    for item in sorted(items, key=lambda i: datetime.fromisoformat(i["starts_at"])):
        start = datetime.fromisoformat(item["starts_at"]).astimezone(SEOUL)
        finish = datetime.fromisoformat(item["ends_at"]).astimezone(SEOUL)
        typer.echo(f"  {start:%H:%M}–{finish:%H:%M}  {item['title']}  ({item['place']['name']})")
    for dropped in body["dropped"]:
        typer.echo(f"  제외: {dropped['title']} — {dropped['reason']}")
    _print_changes(body.get("changes", []))


CHANGE_LABELS = {"keep": "유지", "move": "변경", "cancel": "취소", "add": "추가"}


def _print_changes(changes: list[dict[str, Any]]) -> None:
    """What confirming would do to the confirmed plan; nothing to say on a day without one."""
    if all(c["change"] == "add" for c in changes):
        return
    typer.echo("  확정 시 변경:")
    for change in changes:
        start = datetime.fromisoformat(change["starts_at"]).astimezone(SEOUL)
        line = f"    [{CHANGE_LABELS[change['change']]}] {start:%H:%M} {change['title']}"
        if change["change"] == "move" and change.get("previous_starts_at"):
            before = datetime.fromisoformat(change["previous_starts_at"]).astimezone(SEOUL)
            line += f" (기존 {before:%H:%M})"
        if change.get("reason"):
            line += f" — {change['reason']}"
        typer.echo(line)


def confirm(
    proposal_id: Annotated[str, typer.Argument(help="`dongseon propose`가 알려 준 제안 id")],
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Confirm a proposal (a day, or a range `pg-…`) on a running scheduler; notices follow."""
    body = _call(api, f"/api/proposals/{proposal_id}/confirm", {}, timeout=60)
    for day in body.get("days", [body]):
        typer.echo(f"{day['plan_date']} 일정 버전 {day['plan_version']} 확정")
        for change in day["changes"]:
            typer.echo(f"  [{change['change']}] {change['title']}")


requests = typer.Typer(help="방문 요청 고치기: 수정, 철회, 삭제", no_args_is_help=True)
commitments = typer.Typer(help="고정 일정 고치기: 수정, 철회, 삭제", no_args_is_help=True)

Sets = Annotated[
    list[str],
    typer.Option(
        "--set",
        help="바꿀 항목 이름=값 (여러 번 가능). 값은 JSON으로 읽고, 아니면 글자로 씁니다. "
        '예: --set priority=5 --set title=새 제목 --set \'windows=[{"start": …, "end": …}]\'',
    ),
]


def patch_of(sets: list[str]) -> dict[str, Any]:
    """`name=value` pairs as a JSON patch; a value that is not JSON is taken as text."""
    patch: dict[str, Any] = {}
    for item in sets:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise fail(f"'{item}'은(는) 이름=값 형식이 아닙니다 (예: priority=5).", 2)
        try:
            patch[name.strip()] = json.loads(raw)
        except ValueError:
            patch[name.strip()] = raw
    if not patch:
        raise fail("바꿀 항목을 --set 이름=값 으로 하나 이상 주세요.", 2)
    return patch


@requests.command("edit")
def edit_request(request_id: str, sets: Sets, api: ApiUrl = DEFAULT_API) -> None:
    """Change fields of a visit request (validated as on create)."""
    body = _call(api, f"/api/visit-requests/{request_id}", patch_of(sets), method="PATCH")
    typer.echo(f"요청 {body['id']} 수정됨: {body['title']} (우선순위 {body['priority']})")


@requests.command("withdraw")
def withdraw_request(request_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Withdraw a visit request: kept for history, no longer planned."""
    body = _call(api, f"/api/visit-requests/{request_id}/withdraw", {})
    typer.echo(f"요청 {body['id']} 철회됨: {body['title']}")
    typer.echo("확정된 일정에 있었다면, 그 날을 다시 확정할 때 취소됩니다.")


@requests.command("delete")
def delete_request(request_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Delete a visit request that was never confirmed."""
    _call(api, f"/api/visit-requests/{request_id}", None, method="DELETE")
    typer.echo(f"요청 {request_id} 삭제됨")


@commitments.command("edit")
def edit_commitment(commitment_id: str, sets: Sets, api: ApiUrl = DEFAULT_API) -> None:
    """Change fields of a fixed commitment (validated as on create)."""
    body = _call(api, f"/api/commitments/{commitment_id}", patch_of(sets), method="PATCH")
    typer.echo(f"고정 일정 {body['id']} 수정됨: {body['title']}")


@commitments.command("withdraw")
def withdraw_commitment(commitment_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Withdraw a fixed commitment: kept for history, no longer planned."""
    body = _call(api, f"/api/commitments/{commitment_id}/withdraw", {})
    typer.echo(f"고정 일정 {body['id']} 철회됨: {body['title']}")


@commitments.command("delete")
def delete_commitment(commitment_id: str, api: ApiUrl = DEFAULT_API) -> None:
    """Delete a fixed commitment none of whose occurrences was confirmed."""
    _call(api, f"/api/commitments/{commitment_id}", None, method="DELETE")
    typer.echo(f"고정 일정 {commitment_id} 삭제됨")


def _call(
    api: str,
    path: str,
    payload: dict[str, Any] | None,
    *,
    timeout: float = 30,
    method: str = "POST",
) -> dict[str, Any]:
    """Call the API; any failure becomes a Korean message on stderr and a non-zero exit."""
    url = api.rstrip("/") + path
    try:
        response = httpx.request(method, url, json=payload, timeout=timeout)
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
    if response.status_code == 204:
        return {}
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
