"""`dongseon`: run the whole system, one service, or talk to a running scheduler."""

from __future__ import annotations

import asyncio
import json
import signal
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import httpx
import typer
import uvicorn
from fastapi import APIRouter

from services.common.logging import configure_logging
from services.common.settings import RuntimeSettings

if TYPE_CHECKING:
    from services.cli.stack import Stack

app = typer.Typer(help="동선(Dongseon): 시장 일정 기획과 시의원 사전안내", no_args_is_help=True)
mail = typer.Typer(help="로컬 메일 수신함(SMTP 싱크)에 도착한 사전안내를 봅니다.")
app.add_typer(mail, name="mail")

SEOUL = ZoneInfo("Asia/Seoul")
DataDir = Annotated[
    Path, typer.Option(envvar="DONGSEON_DATA_DIR", help="SQLite, 메일함, 로그 위치")
]
Host = Annotated[str, typer.Option(help="HTTP 주소")]
Port = Annotated[int, typer.Option(help="HTTP 포트")]
ApiUrl = Annotated[str, typer.Option(envvar="DONGSEON_API", help="실행 중인 동선 API 주소")]


@app.command()
def up(
    data_dir: DataDir = Path("data"),
    host: Host = "127.0.0.1",
    port: Port = 8000,
    sample: Annotated[
        bool, typer.Option(help="샘플 데이터(가상 의원 명단, 한 주 요청) 적재")
    ] = True,
) -> None:
    """Everything on the embedded defaults: broker, SQLite, mail sink, three services, sample data."""
    from services.cli.sample import next_monday
    from services.cli.stack import Stack, StackOptions

    configure_logging(RuntimeSettings().log_level)
    options = StackOptions.from_settings(data_dir)
    if sample:
        options.sample_week = next_monday(datetime.now(SEOUL).date())

    async def serve() -> None:
        async with Stack(options) as stack:
            server = uvicorn.Server(
                uvicorn.Config(stack.app, host=host, port=port, log_level="warning")
            )
            serving = asyncio.create_task(server.serve())
            while not server.started and not serving.done():
                await asyncio.sleep(0.05)
            if server.started:
                _print_welcome(stack, host, port)
            await serving
            if not server.started:
                typer.echo(
                    f"{host}:{port}에서 HTTP 서버를 시작하지 못했습니다 (--port 로 바꿀 수 있습니다).",
                    err=True,
                )
                raise typer.Exit(1)

    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    asyncio.run(serve())


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM shuts down as cleanly as Ctrl+C: services stop, the embedded broker too."""
    raise KeyboardInterrupt


def _print_welcome(stack: Stack, host: str, port: int) -> None:
    from services.notifier import handlers as notifier_handlers
    from services.notifier.adapters.repository import STAFF

    base = f"http://{host}:{port}"
    now = datetime.now(SEOUL)
    staff = notifier_handlers.feed_token(stack.notifier.uow(), STAFF, now)
    members = notifier_handlers.list_members(stack.notifier.uow())
    lines = [
        "",
        "동선(Dongseon)이 실행 중입니다.",
        f"  일정 기획 화면     {base}/",
        f"  API 문서           {base}/docs",
        f"  발송된 사전안내    {base}/notices",
        f"  공개 캘린더        {base}/feeds/public.ics",
        f"  내부 캘린더        {base}/feeds/mayor.ics?token={staff}",
    ]
    if members:
        member = members[0]
        token = notifier_handlers.feed_token(stack.notifier.uow(), member.id, now)
        lines.append(
            f"  의원 캘린더(예시)  {base}/feeds/members/{member.id}.ics?token={token}  ({member.name}, 가상)"
        )
    lines += [
        f"  Kafka 브로커       {stack.bootstrap_servers}{' (내장 Tansu)' if stack.embedded_broker else ''}",
        f"  메일함             {stack.maildir if stack.sink else '외부 SMTP'}  (`dongseon mail list`)",
        "  종료: Ctrl+C",
        "",
    ]
    print("\n".join(lines), flush=True)


def _run_service(name: str, host: str, port: int) -> None:
    """One service alone against external Kafka and database."""
    from services.cli.app import build_http_app

    runtime = RuntimeSettings()
    configure_logging(runtime.log_level)
    servers = runtime.kafka_bootstrap_servers
    if not servers:
        typer.echo(
            "KAFKA_BOOTSTRAP_SERVERS가 필요합니다 (전체를 한 번에 띄우려면 `dongseon up`).",
            err=True,
        )
        raise typer.Exit(2)
    if name == "notifier":
        from services.notifier.settings import NotifierSettings

        if not NotifierSettings().smtp_host:
            typer.echo("SMTP_HOST가 필요합니다 (메일 릴레이 주소).", err=True)
            raise typer.Exit(2)

    async def serve() -> None:
        from services.common.topics import ensure_topics

        await ensure_topics(servers, replication_factor=runtime.kafka_topic_replication_factor)
        service, router = _build_service(name, servers)
        await service.start()
        try:
            http = build_http_app({name: router}, {name: service})
            # No access log: feed tokens travel in query strings and must not reach logs.
            await uvicorn.Server(
                uvicorn.Config(http, host=host, port=port, access_log=False)
            ).serve()
        finally:
            await service.stop()

    asyncio.run(serve())


def _build_service(name: str, servers: str) -> tuple[Any, APIRouter]:
    """One service from its own settings, and its HTTP routes."""
    if name == "scheduler":
        from services.scheduler.bootstrap import build_scheduler
        from services.scheduler.entrypoints.api import build_router as scheduler_router
        from services.scheduler.settings import SchedulerSettings

        scheduler = build_scheduler(SchedulerSettings(), servers)
        return scheduler, scheduler_router(scheduler)
    if name == "briefing":
        from services.briefing.bootstrap import build_briefing_service
        from services.briefing.entrypoints.api import build_router as briefing_router
        from services.briefing.settings import BriefingSettings

        briefing = build_briefing_service(BriefingSettings(), servers)
        return briefing, briefing_router(briefing)
    from services.notifier.bootstrap import build_notifier
    from services.notifier.entrypoints.api import build_router as notifier_router
    from services.notifier.settings import NotifierSettings

    notifier = build_notifier(NotifierSettings(), servers)
    return notifier, notifier_router(notifier)


@app.command()
def scheduler(host: Host = "0.0.0.0", port: Port = 8000) -> None:
    """Run the scheduler (API + outbox relay) against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL."""
    _run_service("scheduler", host, port)


@app.command()
def briefing(host: Host = "0.0.0.0", port: Port = 8001) -> None:
    """Run the briefing service against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL."""
    _run_service("briefing", host, port)


@app.command()
def notifier(host: Host = "0.0.0.0", port: Port = 8002) -> None:
    """Run the notifier (consumers, mail dispatch, feeds) against external infrastructure."""
    _run_service("notifier", host, port)


@app.command("load-roster")
def load_roster(
    path: Annotated[Path, typer.Argument(help="council_roster.json 형식의 파일")],
) -> None:
    """Load a council roster into the notifier's database (DATABASE_URL)."""
    from services.cli.sample import load_roster as load_into
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings
    from services.sample_data.catalog import CouncilRoster

    roster = CouncilRoster.model_validate_json(path.read_text(encoding="utf-8"))
    settings = NotifierSettings()
    service = build_notifier(settings, settings.kafka_bootstrap_servers or "unused:9092")
    count = load_into(service, roster)
    typer.echo(f"{count}명의 의원을 적재했습니다.")


@app.command()
def propose(
    plan_date: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    api: ApiUrl = "http://127.0.0.1:8000",
) -> None:
    """Ask a running scheduler for a proposal for one day and print it."""
    date.fromisoformat(plan_date)
    response = httpx.post(f"{api}/api/proposals", json={"plan_date": plan_date}, timeout=60)
    body = response.json()
    if response.status_code >= 400:
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2), err=True)
        raise typer.Exit(1)
    typer.echo(f"제안 {body['id']} ({body['plan_date']}) — 이동 {body['total_travel_minutes']}분")
    for stop in body["stops"]:
        start = datetime.fromisoformat(stop["starts_at"]).astimezone(SEOUL)
        end = datetime.fromisoformat(stop["ends_at"]).astimezone(SEOUL)
        typer.echo(f"  {start:%H:%M}–{end:%H:%M}  {stop['title']}  ({stop['place']['name']})")
    for dropped in body["dropped"]:
        typer.echo(f"  제외: {dropped['title']} — {dropped['reason']}")
    typer.echo(f"확정하려면: dongseon confirm {body['id']}")


@app.command()
def confirm(proposal_id: str, api: ApiUrl = "http://127.0.0.1:8000") -> None:
    """Confirm a proposal on a running scheduler; notices follow."""
    response = httpx.post(f"{api}/api/proposals/{proposal_id}/confirm", json={}, timeout=30)
    body = response.json()
    if response.status_code >= 400:
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2), err=True)
        raise typer.Exit(1)
    typer.echo(f"{body['plan_date']} 일정 버전 {body['plan_version']} 확정")
    for change in body["changes"]:
        typer.echo(f"  [{change['change']}] {change['title']}")


@mail.command("list")
def mail_list(data_dir: DataDir = Path("data")) -> None:
    """Every message the local mail sink received."""
    from services.common.smtp_sink import read_mailbox

    messages = read_mailbox(data_dir / "mail")
    for item in messages:
        typer.echo(f"{item.key[:24]}  {item.envelope_to:<32} {item.subject}")
    typer.echo(f"{len(messages)}통")


@mail.command("show")
def mail_show(key: str, data_dir: DataDir = Path("data")) -> None:
    """One received message (text part), by the key prefix `mail list` prints."""
    from services.common.smtp_sink import read_mailbox

    for item in read_mailbox(data_dir / "mail"):
        if item.key.startswith(key):
            body = item.message.get_body(preferencelist=("plain",))
            typer.echo(f"To: {item.envelope_to}\nSubject: {item.subject}\n")
            typer.echo(body.get_content() if body else "")
            return
    raise typer.Exit(1)


@app.command()
def asyncapi(
    out: Annotated[Path, typer.Option(help="출력 파일")] = Path("schemas/asyncapi.json"),
) -> None:
    """Write the AsyncAPI document generated from the three FastStream apps."""
    from services.cli.asyncapi import asyncapi_document

    out.write_text(asyncapi_document(), encoding="utf-8")
    typer.echo(f"wrote {out}")


if __name__ == "__main__":
    app()
