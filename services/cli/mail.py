"""`dongseon mail`: read what the local SMTP sink received."""

from __future__ import annotations

from pathlib import Path

import typer

from services.cli.options import DataDir, fail

mail = typer.Typer(help="로컬 메일 수신함(SMTP 싱크)에 도착한 사전안내를 봅니다.")


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
    raise fail(f"'{key}'(으)로 시작하는 메일이 없습니다 (`dongseon mail list`로 확인).")
