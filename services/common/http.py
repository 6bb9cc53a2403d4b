"""HTTP conventions shared by every service's API: one error shape, correlation ids, OPTIONS.

Every 4xx answer is an :class:`ErrorOut`; routes document theirs with
``responses=error_responses(404, ...)`` and the OpenAPI document carries no FastAPI default
``HTTPValidationError``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common.errors import InvalidInput, NotFound, StateConflict, field_name, reason_for

CORRELATION_HEADER = "X-Correlation-ID"
INVALID_INPUT = "입력값이 올바르지 않습니다."
MALFORMED_JSON = "JSON 형식이 올바르지 않습니다"


class FieldError(BaseModel):
    """One refused field: a dotted path into the request (`place.district`, `windows.0.end`)."""

    field: str = Field(examples=["place.district"])
    reason: str = Field(examples=["필수 항목입니다"])


class ErrorOut(BaseModel):
    """The one shape of every 4xx answer: what went wrong, and which field or constraint."""

    detail: str = Field(examples=[INVALID_INPUT])
    errors: list[FieldError] = Field(default_factory=list)
    conflicts: list[dict[str, Any]] | None = Field(
        default=None, description="What clashed (409, or 422 when commitments overlap)."
    )


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "요청 본문이 JSON으로 읽히지 않습니다.",
    404: "대상을 찾을 수 없습니다.",
    405: "이 경로에서 허용되지 않는 메서드입니다.",
    409: "현재 상태와 충돌합니다.",
    422: "입력값이 올바르지 않습니다 (항목별 사유는 errors).",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` documentation of a route's 4xx answers, all in the shared shape."""
    return {code: {"model": ErrorOut, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


def error_body(detail: str, errors: list[FieldError] | None = None, **extra: Any) -> dict[str, Any]:
    """An ErrorOut as JSON-ready data, for handlers that build their own response."""
    return ErrorOut(detail=detail, errors=errors or [], **extra).model_dump(exclude_none=True)


def correlation_id(request: Request) -> str:
    """The caller's correlation id (or the one minted for this request); it follows every event."""
    known = request.scope.setdefault("state", {}).get("correlation_id")
    if known:
        return str(known)
    value = _accepted(request.headers.get(CORRELATION_HEADER)) or str(uuid.uuid4())
    request.scope["state"]["correlation_id"] = value
    return value


def _accepted(value: str | None) -> str | None:
    """A caller's id is kept only if it is short printable ASCII, so it is safe in logs."""
    if value and len(value) <= 128 and value.isascii() and value.isprintable():
        return value
    return None


class CorrelationMiddleware:
    """Gives each request a correlation id and echoes it in the `X-Correlation-ID` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(CORRELATION_HEADER.lower().encode("latin-1"))
        value = _accepted(raw.decode("latin-1") if raw else None) or str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = value

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (CORRELATION_HEADER.lower().encode("latin-1"), value.encode("latin-1")),
                ]
            await send(message)

        await self.app(scope, receive, send_with_id)


def install_error_handlers(app: FastAPI) -> None:
    """Install the shared conventions: error shape, Korean reasons, correlation ids, OPTIONS."""
    app.add_middleware(OptionsMiddleware)
    app.add_middleware(CorrelationMiddleware)  # outermost: every answer carries the id

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        raw = error.errors()
        if any(e.get("type") == "json_invalid" for e in raw):
            return JSONResponse(
                status_code=400,
                content=error_body(
                    MALFORMED_JSON, [FieldError(field="body", reason=MALFORMED_JSON)]
                ),
            )
        errors = [FieldError(field=field_name(e["loc"]), reason=reason_for(e)) for e in raw]
        return JSONResponse(status_code=422, content=error_body(INVALID_INPUT, errors))

    @app.exception_handler(InvalidInput)
    async def invalid_input(_: Request, error: InvalidInput) -> JSONResponse:
        errors = [FieldError(field=error.field, reason=error.reason)]
        return JSONResponse(status_code=422, content=error_body(INVALID_INPUT, errors))

    @app.exception_handler(NotFound)
    async def not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content=error_body(str(error)))

    @app.exception_handler(StateConflict)
    async def conflict(_: Request, error: StateConflict) -> JSONResponse:
        body = error_body(str(error), conflicts=error.details)
        return JSONResponse(status_code=409, content=body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            documented = _documented_methods(app, request.url.path)
            allowed = documented | {m.strip() for m in headers.get("Allow", "").split(",")}
            headers["Allow"] = ", ".join(sorted(m for m in allowed if m))
        if error.status_code < 400:
            return Response(status_code=error.status_code, headers=headers)
        detail = ERROR_DESCRIPTIONS.get(error.status_code, str(error.detail))
        return JSONResponse(
            status_code=error.status_code, content=error_body(detail), headers=headers
        )

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


class OptionsMiddleware:
    """Answers OPTIONS on any existing path with 204 and its `Allow` header, not a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        swallowing = False

        async def answer_options(message: Message) -> None:
            nonlocal swallowing
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = next(
                    (v.decode("latin-1") for k, v in message.get("headers", []) if k == b"allow"),
                    "",
                )
                methods = sorted({m.strip() for m in allow.split(",") if m.strip()} | {"OPTIONS"})
                swallowing = True
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", ", ".join(methods).encode("latin-1"))],
                    }
                )
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if not swallowing:
                await send(message)

        await self.app(scope, receive, answer_options)


def _documented_methods(app: FastAPI, path: str) -> set[str]:
    """Every method the OpenAPI document lists for this path.

    Starlette's 405 names only the first route that matched the path, so GET and POST on
    one path, declared as two routes, would otherwise answer `Allow: POST`.
    """
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods |= {m.upper() for m in operations}
    return methods


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with every 4xx pointing at ErrorOut, and 400 on JSON bodies."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for model in (FieldError, ErrorOut):
        components[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components[model.__name__].pop("$defs", None)
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation and "400" not in responses:
                responses["400"] = {"description": ERROR_DESCRIPTIONS[400]}
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = error_ref
                    response.setdefault("description", ERROR_DESCRIPTIONS.get(int(code), ""))
    app.openapi_schema = schema
    return schema
