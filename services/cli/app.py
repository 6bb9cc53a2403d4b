"""One FastAPI app over whichever services this process runs, with /health and /docs."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from faststream.kafka import KafkaBroker
from sqlalchemy import Engine, text

from services.common.http import install_error_handlers

DESCRIPTION = """
동선(Dongseon): 시장 현장방문·고정 일정 기획과 시의원 사전안내.

* **scheduler** — 방문 요청, 고정 일정, 일정 제안과 확정, 확정 일정 조회
* **briefing** — 일정별 말씀자료(출처 포함)
* **notifier** — 사전안내 발송 내역, iCal 피드(공개 / 내부 / 의원별)
"""


class RunningService(Protocol):
    engine: Engine
    broker: KafkaBroker


def build_http_app(routers: dict[str, Any], services: dict[str, RunningService]) -> FastAPI:
    # /docs and /redoc load their scripts from the installed package, never from a CDN.
    app = FastAPIOffline(title="동선 Dongseon", version="0.1.0", description=DESCRIPTION)
    install_error_handlers(app)
    for router in routers.values():
        app.include_router(router)

    @app.get("/health", tags=["health"])
    async def health() -> JSONResponse:
        """Each service's database and broker connection; 503 if any is down."""
        checks = {name: await _check(service) for name, service in services.items()}
        healthy = all(c["database"] == "ok" and c["broker"] == "ok" for c in checks.values())
        return JSONResponse(
            status_code=200 if healthy else 503,
            content={"status": "ok" if healthy else "degraded", "services": checks},
        )

    return app


async def _check(service: RunningService) -> dict[str, str]:
    def database() -> str:
        try:
            with service.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return "ok"
        except Exception as error:  # health reports, never raises
            return f"error: {error.__class__.__name__}"

    broker_ok = await service.broker.ping(timeout=2.0)
    return {
        "database": await asyncio.to_thread(database),
        "broker": "ok" if broker_ok else "unreachable",
    }
