"""
`make schemathesis`: schemathesis over every operation of the API's OpenAPI
description, as the running site serves it.

It recreates a PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/smp_schemathesis), migrates it and loads
the initial content, starts gunicorn with production settings on a free port
of 127.0.0.1, and runs schemathesis against /api/schema/ with generated
inputs, a bounded number per operation so that the run takes a few minutes.
It fails on any 5xx, any response that does not match its schema (body,
status code, content type, headers), any input the description allows that
is not answered 2xx or 404, any it does not allow that is not refused (400,
or 404/405 for a path or method that does not exist), any undocumented
method that is not a 405, and any warning (tests/schemathesis.toml). Not collected by
pytest (the name does not start with test_).
"""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import services  # noqa: E402 (the project root is on the path now)

BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smp_schemathesis")
# Generated inputs per operation and phase: enough to find the odd value,
# few enough for about three minutes on two cores.
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40")
# The "Seed:" a run prints, to run the same inputs again.
SEED = os.environ.get("SCHEMATHESIS_SEED")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "unsupported_method",
    ]
)


def wait_until_up(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer at {base} within {seconds} seconds")


def main():
    port = services.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    services.recreate_database(DATABASE_URL)
    manage = [str(BIN / "python"), "manage.py"]
    for command in (
        ["collectstatic", "--no-input", "--verbosity", "0"],
        ["migrate", "--no-input", "--verbosity", "0"],
        ["createcachetable"],
        ["load_initial_content"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "smp_site.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, server)
        result = subprocess.run(
            [
                str(BIN / "schemathesis"),
                "--config-file",
                str(ROOT / "tests" / "schemathesis.toml"),
                "run",
                f"{base}/api/schema/",
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                MAX_EXAMPLES,
                "--workers",
                "2",
                "--request-timeout",
                "10",
                "--no-color",
                *(["--seed", SEED] if SEED else []),
            ],
            cwd=ROOT,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
