"""`dongseon up`: the whole system on the embedded defaults, in one process."""

from __future__ import annotations

import asyncio
import signal
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from schemas.vocabulary import SEOUL
from services.cli.options import DataDir, Host, Port, fail
from services.common.logging import configure_logging
from services.common.settings import RuntimeSettings

if TYPE_CHECKING:
    from services.cli.stack import Stack


def up(
    data_dir: DataDir = Path("data"),
    host: Host = "127.0.0.1",
    port: Port = 8000,
    sample: Annotated[
        bool, typer.Option(help="샘플 데이터(가상 의원 명단, 한 주 요청) 적재")
    ] = True,
    realistic: Annotated[
        bool,
        typer.Option(
            "--realistic-week/--small-week",
            help="실제 업무 규모의 한 주(요청 150건, 7일)를 적재 (기본: 작은 샘플 주)",
        ),
    ] = False,
    lead_time: Annotated[
        bool,
        typer.Option(
            "--lead-time/--send-now",
            help="사전안내를 규칙의 안내 시점(방문 48시간 전 등)에 보낼지, 확정 즉시 보낼지 (기본: 즉시, 시연용)",
        ),
    ] = False,
) -> None:
    """Everything on the embedded defaults: broker, SQLite, mail sink, three services, sample data."""
    from services.cli.sample import next_monday
    from services.cli.stack import Stack, StackOptions

    configure_logging(RuntimeSettings().log_level)
    options = StackOptions.from_settings(data_dir)
    options.overrides["send_at_lead_time"] = lead_time
    if sample:
        options.sample_week = next_monday(datetime.now(SEOUL).date())
        options.realistic_week = realistic

    async def serve() -> None:
        async with Stack(options) as stack:
            server = uvicorn.Server(
                # The Stack owns start and stop; the app has no lifespan of its own.
                uvicorn.Config(stack.app, host=host, port=port, log_level="warning", lifespan="off")
            )
            serving = asyncio.create_task(server.serve())
            while not server.started and not serving.done():
                await asyncio.sleep(0.05)
            if server.started:
                _print_welcome(stack, host, port, lead_time)
            await serving
            if not server.started:
                raise fail(
                    f"{host}:{port}에서 HTTP 서버를 시작하지 못했습니다 (--port 로 바꿀 수 있습니다)."
                )

    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        print("동선을 종료했습니다.", flush=True)


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM shuts down as cleanly as Ctrl+C: services stop, the embedded broker too."""
    raise KeyboardInterrupt


def _print_welcome(stack: Stack, host: str, port: int, lead_time: bool) -> None:
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
        "  사전안내 발송      "
        + (
            "규칙의 안내 시점에 (방문 48시간 전 등)"
            if lead_time
            else "확정 즉시 (시연용; --lead-time 으로 실제 시점 적용)"
        ),
        "  종료: Ctrl+C",
        "",
    ]
    print("\n".join(lines), flush=True)
