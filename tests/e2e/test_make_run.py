"""What `make run` starts: `dongseon up` plans, confirms and notifies on the default SQLite
files, embedded broker and local mail sink, then shuts down without leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx

from schemas.vocabulary import SEOUL
from services.cli.sample import next_monday
from services.common.embedded_broker import free_port
from services.common.smtp_sink import read_mailbox


def test_dongseon_up_serves_the_sample_week_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "SMTP_HOST"}
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.cli.main",
            "up",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "dongseon up did not become healthy"
            time.sleep(0.5)
        requests = httpx.get(f"{base}/api/visit-requests").json()
        assert len(requests) >= 15 and all(r["status"] == "open" for r in requests)
        assert len(httpx.get(f"{base}/api/members").json()) >= 25
        assert "동선" in httpx.get(f"{base}/").text

        monday = next_monday(datetime.now(SEOUL).date())
        proposal = httpx.post(
            f"{base}/api/proposals", json={"plan_date": monday.isoformat()}, timeout=60
        )
        assert proposal.status_code == 201, proposal.text
        assert proposal.json()["stops"], "the sample Monday has visits to plan"
        confirmed = httpx.post(f"{base}/api/proposals/{proposal.json()['id']}/confirm", timeout=30)
        assert confirmed.status_code == 200, confirmed.text
        maildir = tmp_path / "data" / "mail"
        while not any(m.subject.startswith("[사전안내]") for m in read_mailbox(maildir)):
            assert time.monotonic() < deadline + 60, "no advance notice reached the mail sink"
            time.sleep(0.5)
        subjects = [m.subject for m in read_mailbox(maildir)]
        # Advance notices of the confirmed day, and letters answering the sample requests.
        assert all(s.startswith(("[사전안내]", "[조치결과]")) for s in subjects), subjects
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "일정 기획 화면" in output and f"{base}/" in output, output
    assert "Traceback" not in output, output
    assert process.returncode in (0, 130, -signal.SIGTERM), output
    broker_line = next(line for line in output.splitlines() if "Kafka 브로커" in line)
    broker_address = broker_line.split()[2]
    time.sleep(0.5)
    running = subprocess.run(["pgrep", "-af", "tansu"], capture_output=True, text=True).stdout
    assert broker_address not in running, "the embedded broker outlived dongseon up"
