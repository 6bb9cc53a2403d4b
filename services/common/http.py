"""HTTP conventions shared by every service's API: error shapes and health."""

from __future__ import annotations

import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from services.common.errors import InvalidInput, NotFound, StateConflict


def correlation_id(request: Request) -> str:
    """The caller's correlation id, or a new one; it follows every event caused."""
    return request.headers.get("x-correlation-id") or str(uuid.uuid4())


def install_error_handlers(app: FastAPI) -> None:
    """4xx answers name the field and the reason, in the same shape everywhere."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p != "body") or "body",
                "reason": str(e["msg"]).removeprefix("Value error, "),
            }
            for e in error.errors()
        ]
        return JSONResponse(
            status_code=422, content={"detail": "입력값이 올바르지 않습니다.", "errors": errors}
        )

    @app.exception_handler(InvalidInput)
    async def invalid_input(_: Request, error: InvalidInput) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={
                "detail": "입력값이 올바르지 않습니다.",
                "errors": [{"field": error.field, "reason": error.reason}],
            },
        )

    @app.exception_handler(NotFound)
    async def not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(error)})

    @app.exception_handler(StateConflict)
    async def conflict(_: Request, error: StateConflict) -> JSONResponse:
        return JSONResponse(
            status_code=409, content={"detail": str(error), "conflicts": error.details}
        )
