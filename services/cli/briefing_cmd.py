"""`dongseon briefing-day DATE`: a day's briefing booklet from a running system, as a file.

Register in services/cli/main.py with `app.command("briefing-day")(briefing_cmd.briefing_day)`
(or `app.add_typer(briefing_cmd.app)`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import httpx
import typer

from services.cli.options import DEFAULT_API, ApiUrl, fail

app = typer.Typer(help="브리핑 책자", no_args_is_help=True)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(
            f"'{value}'은(는) 올바른 날짜가 아닙니다 (YYYY-MM-DD, 예: 2026-12-01).", 2
        ) from None


def _get(api: str, path: str, timeout: float = 120) -> bytes:
    url = api.rstrip("/") + path
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.ConnectError:
        raise fail(
            f"동선 API({api})에 연결할 수 없습니다. `dongseon up`으로 실행 중인지, "
            "--api 또는 DONGSEON_API 주소가 맞는지 확인해 주세요."
        ) from None
    except httpx.HTTPError as error:
        raise fail(f"동선 API({api}) 호출에 실패했습니다: {error}") from None
    if response.status_code != 200:
        raise fail(f"브리핑을 가져오지 못했습니다 (HTTP {response.status_code}): {response.text}")
    return response.content


@app.command("briefing-day")
def briefing_day(
    day: Annotated[str, typer.Argument(help="날짜 YYYY-MM-DD", metavar="DATE")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="PDF 책자를 쓸 파일")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="인쇄용 HTML을 쓸 파일")] = None,
    api: ApiUrl = DEFAULT_API,
) -> None:
    """Write a day's briefings as one booklet (PDF and/or HTML); Markdown to stdout otherwise."""
    when = _day(day).isoformat()
    if pdf is None and html is None:
        typer.echo(_get(api, f"/api/briefings/day/{when}.md").decode("utf-8"))
        return
    for path, suffix in ((pdf, "pdf"), (html, "html")):
        if path is not None:
            path.write_bytes(_get(api, f"/api/briefings/day/{when}.{suffix}"))
            typer.echo(f"{path} 저장 ({when} 브리핑 책자)")
