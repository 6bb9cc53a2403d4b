"""Options several `dongseon` commands share, so each reads and documents them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path, typer.Option(envvar="DONGSEON_DATA_DIR", help="SQLite, 메일함, 로그 위치")
]
Host = Annotated[str, typer.Option(help="HTTP 주소")]
Port = Annotated[int, typer.Option(help="HTTP 포트")]
ApiUrl = Annotated[str, typer.Option(envvar="DONGSEON_API", help="실행 중인 동선 API 주소")]
DEFAULT_API = "http://127.0.0.1:8000"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a message for people on stderr; the caller raises the returned exit."""
    typer.echo(message, err=True)
    return typer.Exit(code)
