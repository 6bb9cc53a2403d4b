"""What `make run` starts: `dongseon up` serves the sample, then shuts down without leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from services.common.embedded_broker import free_port


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
