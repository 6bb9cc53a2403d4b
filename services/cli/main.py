"""`dongseon`: run the whole system, one service, or talk to a running scheduler."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from services.cli import briefing_cmd, client, member_cmd, notice_cmd, plan_cmd, serve, system
from services.cli.mail import mail
from services.cli.optw import solve_command

app = typer.Typer(
    help="동선(Dongseon): 시장 일정 기획과 시의원 사전안내",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(mail, name="mail")
app.command()(system.up)
app.command()(serve.scheduler)
app.command()(serve.briefing)
app.command()(serve.notifier)
app.command("load-roster")(serve.load_roster)
app.command()(client.propose)
app.command()(client.confirm)
app.add_typer(client.requests, name="request")
app.add_typer(client.commitments, name="commitment")
app.add_typer(member_cmd.members, name="member")
app.add_typer(notice_cmd.notices, name="notice")
app.command("briefing-day")(briefing_cmd.briefing_day)
app.command("solve-optw")(solve_command)
app.command()(plan_cmd.plan)


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
