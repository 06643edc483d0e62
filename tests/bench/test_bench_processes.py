"""`make bench` measures only the server it started, and leaves nothing
running behind it: it refuses a port that already answers, accepts a server
only when it shows the run's token, and stops every process it started when
it is stopped itself (a time limit's SIGTERM to `make`, or Ctrl-C).

These run `make bench` itself with `--check-only` (start the server on the
bench's port, check it, hold it, stop it): no database is recreated and no
load is sent."""

import http.server
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]


def stat(pid):
    """(ppid, process group, start time) of a live process, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[2]), int(fields[19])


def all_processes():
    return {int(e): stat(e) for e in os.listdir("/proc") if e.isdigit() and stat(e) is not None}


def descendants(root):
    """Every live process below `root`, as {pid: (process group, start time)}."""
    table = all_processes()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, info in table.items():
            if info and info[0] == parent and pid not in found:
                found[pid] = info[1:]
                frontier.append(pid)
    return found


def still_alive(recorded):
    """Those of the recorded processes (pid, start time) still running, and
    any process still in one of their process groups."""
    groups = {group for group, _ in recorded.values()}
    left = []
    for pid, info in all_processes().items():
        if (pid in recorded and info[2] == recorded[pid][1]) or info[1] in groups:
            left.append(pid)
    return left


def bench_environment(tmp_path, port):
    return services.environment(
        BENCH_PORT=str(port),
        # A database of its own that --check-only never touches.
        DATABASE_URL=f"sqlite:///{tmp_path / 'bench-check.sqlite3'}",
        WEB_CONCURRENCY="2",
    )


class Answering(http.server.BaseHTTPRequestHandler):
    token = None

    def do_GET(self):
        self.send_response(200)
        if self.token:
            self.send_header("X-Bench-Server", self.token)
        self.end_headers()
        self.wfile.write(b"some other server\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def other_server():
    """A server already answering on a port (as a bench's gunicorn left
    running by a run that was stopped)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_make_bench_refuses_to_start_when_its_port_already_answers(other_server, tmp_path):
    port = other_server.server_address[1]
    started = time.monotonic()
    result = subprocess.run(
        ["make", "--no-print-directory", "bench", f"BENCH_PORT={port}"],
        cwd=ROOT,
        env=bench_environment(tmp_path, port),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    # One line says why (make adds its own about the failed target: "make:"
    # or, under another make such as `make test`, "make[1]:").
    said = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
    assert said == [
        f"bench: port {port} already answers (a server left running?): stop it, "
        "or set BENCH_PORT to a free port"
    ]
    # Refused before anything: no database recreated, no server started.
    assert "fresh database" not in result.stderr
    assert not (tmp_path / "bench-check.sqlite3").exists()
    assert time.monotonic() - started < 120


def load_bench_run(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_server_without_the_runs_token_is_never_measured(other_server, monkeypatch):
    """If another server takes the port between the check and the start
    (the bench's gunicorn then fails to bind), the one answering is not
    accepted: it does not carry the token this run gave its own."""
    run = load_bench_run(monkeypatch)
    server = run.Server(run.ENV, port=other_server.server_address[1])
    # Stands for the bench's gunicorn, still trying to bind.
    server.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(run.NotOurServer, match="not the one this run started"):
            server._wait_until_it_answers()
        Answering.token = "a token of another run"
        with pytest.raises(run.NotOurServer):
            server._wait_until_it_answers()
        Answering.token = server.token
        server._wait_until_it_answers()  # its own: accepted
    finally:
        Answering.token = None
        server.process.kill()
        server.process.wait()


@pytest.mark.parametrize(
    "how",
    [
        "SIGTERM to make (a time limit)",
        "SIGINT to the foreground process group (Ctrl-C)",
    ],
)
def test_a_bench_stopped_by_a_signal_leaves_no_process_behind(how, tmp_path):
    port = services.free_port()
    make = subprocess.Popen(
        ["make", "--no-print-directory", "bench", f"BENCH_PORT={port}", "BENCH_ARGS=--check-only --hold 600"],
        cwd=ROOT,
        env=bench_environment(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group, as a shell gives a foreground job.
        start_new_session=True,
    )
    try:
        # Wait for the server to be up (and checked) on the bench's port.
        for line in make.stdout:
            if line.startswith(f"bench: server started on port {port}"):
                break
        else:
            pytest.fail(f"the bench did not start its server: {make.stderr.read()}")
        processes = descendants(make.pid)
        gunicorn = [pid for pid in processes if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_text()]
        # The master and its two workers, at least.
        assert len(gunicorn) >= 3, processes

        if how.startswith("SIGTERM"):
            make.send_signal(signal.SIGTERM)
        else:
            os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=60)

        deadline = time.monotonic() + 5
        while still_alive(processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert still_alive(processes) == []
        assert make.returncode != 0
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, "something still answers on the bench's port"
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()


def test_the_server_of_a_second_run_is_recognised_on_the_page_cache_a_first_run_filled(tmp_path):
    """The baseline's answer is kept in the page cache, token and all: the
    check asks an address of its own, so that a run does not take the last
    run's cached answer for another server's."""
    port = services.free_port()
    env = bench_environment(tmp_path, port)
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env={**env, "DEBUG": "true"},
        check=True,
        capture_output=True,
    )
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "bench/run.py", "--check-only"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.startswith(f"bench: server started on port {port}")


def test_a_server_that_cannot_start_fails_the_run_and_leaves_nothing_behind(tmp_path):
    port = services.free_port()
    env = {**bench_environment(tmp_path, port), "GUNICORN_CMD_ARGS": "--worker-class=no.such.Worker"}
    run = subprocess.Popen(
        [sys.executable, "bench/run.py", "--check-only"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Every process below it, as it goes (gunicorn lives a few seconds).
    seen = {}
    while run.poll() is None:
        seen.update(descendants(run.pid))
        time.sleep(0.05)
    _, stderr = run.communicate()
    assert run.returncode != 0
    assert "gunicorn exited with" in stderr
    assert seen, "it started gunicorn"
    assert still_alive(seen) == []


@pytest.fixture
def bench_run(monkeypatch):
    module = load_bench_run(monkeypatch)
    yield module
    module.processes.stop_all()


@pytest.fixture
def migrated_database(tmp_path, bench_run):
    """The bench's environment on a migrated database of its own, with
    static files read from the source folders (the bench collects them
    first; a fresh clone has none collected)."""
    env = {
        **bench_run.ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench-builds.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
    }
    for command in (["migrate", "--no-input", "-v0"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return env


@pytest.fixture
def builders(bench_run, monkeypatch):
    """The processes of every PageBuilder the bench starts, as it starts them."""
    started = []
    real_builder = bench_run.PageBuilder

    def recorded(env):
        builder = real_builder(env)
        started.append(builder.process)
        return builder

    monkeypatch.setattr(bench_run, "PageBuilder", recorded)
    return started


def test_page_builds_are_measured_in_pairs_on_the_two_databases_by_processes_that_then_stop(
    bench_run, migrated_database, builders
):
    pages = {"home": {"path": "/"}, "glossary": {"path": "/glossary/"}}
    growth = bench_run.build_growth(migrated_database, migrated_database, pages, pairs=4, block=2)

    assert set(growth) == {"home", "glossary"}
    for built in growth.values():
        assert built["seed_ms"] > 0 and built["national_ms"] > 0
        low, high = built["quartiles"]
        assert 0 < low <= built["ratio"] <= high
    # One process a database, both stopped and forgotten once measured.
    assert len(builders) == 2
    assert all(process.poll() is not None for process in builders)
    assert bench_run.processes._started == []


def test_a_page_that_cannot_be_built_stops_the_measurement_and_leaves_no_process(
    bench_run, migrated_database, builders
):
    with pytest.raises(RuntimeError, match="stopped while building /no-such-page/"):
        bench_run.build_growth(
            migrated_database, migrated_database, {"missing": {"path": "/no-such-page/"}}, pairs=2, block=1
        )
    assert len(builders) == 2
    assert all(process.poll() is not None for process in builders)
    assert bench_run.processes._started == []
