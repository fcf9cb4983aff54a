"""Starting the service: settings from the environment, refusing to start without a token,
``scheduler serve`` for real, and the caller's language."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.middleware import request_language
from api.settings import DEV_TOKEN, Settings
from scheduler.cli import app as cli
from scheduler.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def test_settings_come_from_scheduler_variables() -> None:
    settings = Settings.from_env(
        {
            "SCHEDULER_API_TOKENS": " one, two ,,",
            "SCHEDULER_DATABASE_URL": "sqlite:///x.db",
            "SCHEDULER_PUBLIC_URL": "https://planning.vti.be/",
            "SCHEDULER_SOLVE_JOBS": "2",
            "SCHEDULER_DEV": "no",
        }
    )
    assert settings.api_tokens == ("one", "two")
    assert settings.public_url == "https://planning.vti.be"
    assert settings.solve_jobs == 2 and settings.dev is False
    assert settings.accepted_tokens == ("one", "two")
    # options given on the command line win over the environment
    assert Settings.from_env({"SCHEDULER_DEV": "1"}, dev=None).dev is True
    assert Settings.from_env({}, database_url="sqlite:///y.db").database_url == "sqlite:///y.db"


def test_a_bad_setting_names_its_variable() -> None:
    with pytest.raises(UsageError, match="SCHEDULER_MAX_BODY_BYTES"):
        Settings.from_env({"SCHEDULER_MAX_BODY_BYTES": "a lot"})
    with pytest.raises(UsageError, match="SCHEDULER_QUEUE_LIMIT"):
        Settings.from_env({"SCHEDULER_QUEUE_LIMIT": "-1"})


def test_no_token_no_start_unless_dev(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="SCHEDULER_API_TOKENS"):
        create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}"))
    dev = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", dev=True)
    assert dev.accepted_tokens == (DEV_TOKEN,)
    assert create_app(dev).title


def test_serve_without_a_token_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["serve", "--database", f"sqlite:///{tmp_path / 'a.db'}"],
        env={"SCHEDULER_API_TOKENS": "", "SCHEDULER_DEV": ""},
    )
    assert result.exit_code == 2
    assert "SCHEDULER_API_TOKENS" in result.output and "--dev" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("url", ["postgresql://planner:s3cr3t-pw@db/planning", "no-such-url"])
def test_serve_with_an_unusable_database_never_shows_its_url(url: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--dev", "--database", url])
    assert result.exit_code == 2
    assert "databank" in result.output and "Traceback" not in result.output
    assert "s3cr3t" not in result.output and "no-such-url" not in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_scheduler_serve_answers_on_its_port(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "scheduler.cli", "serve", "--dev", "--port", str(port),
         "--database", f"sqlite:///{tmp_path / 'served.db'}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin", "SCHEDULER_API_TOKENS": ""},
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        auth = {"Authorization": f"Bearer {DEV_TOKEN}"}
        assert httpx.get(f"{base}/scenarios", headers=auth, timeout=5).json() == []
        assert httpx.get(f"{base}/scenarios", timeout=5).status_code == 401
        assert httpx.get(f"{base}/docs", timeout=5).status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "GET /scenarios 200" in output  # the service's own access log
    assert (tmp_path / "served.db").exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "nl"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-BE, en;q=0.5", "nl"),
        ("fr, en;q=0.5", "en"),
        ("fr", "nl"),
        ("en;q=0.2, nl;q=0.8", "nl"),
        ("en;q=abc", "nl"),
        ("en;q=0", "nl"),
        ("*", "nl"),
    ],
)
def test_the_language_follows_accept_language(header: str, expected: str) -> None:
    assert request_language({"accept-language": header}) == expected
