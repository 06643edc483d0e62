"""The image's own commands, run the way its container runs them, without a
container engine (none runs on the development machine): the Dockerfile's
environment (ENV), its CMD (gunicorn with gunicorn.conf.py) with production
settings whose ALLOWED_HOSTS name only the public host, and its HEALTHCHECK
command against that server. Also: the image's user has a home for what
gunicorn keeps there, gunicorn's own lines are JSON like the site's, and
`make serve PORT=` binds that port."""

import json
import re
import subprocess
import time
import urllib.request

import pytest

from tests import services

ROOT = services.ROOT
PUBLIC_HOST = "smp.example.org"


def instructions():
    """The Dockerfile's final stage as (instruction, arguments) pairs, with
    continued lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    final_stage = text[text.rindex("\nFROM ") :]
    joined = re.sub(r"\\\n\s*", " ", final_stage)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def image_environment():
    env = {}
    for instruction, arguments in instructions():
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in arguments.split())
    return env


def exec_form(arguments):
    return json.loads(arguments)


def test_the_images_user_has_a_home_it_can_write():
    env = image_environment()
    (user_line,) = [
        args for instruction, args in instructions() if instruction == "RUN" and "useradd" in args
    ]
    useradd = user_line.split("useradd", 1)[1].split("&&")[0].split()
    assert "--no-create-home" not in useradd
    assert "--create-home" in useradd
    assert useradd[useradd.index("--home-dir") + 1] == env["HOME"] == "/home/smp"
    (user,) = [args for instruction, args in instructions() if instruction == "USER"]
    assert user.split(":")[0] == useradd[useradd.index("--uid") + 1]


def image_run_environment(tmp_path, port, static_root):
    """The image's ENV, and production settings as an operator gives them."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = services.environment(**{**image_environment(), "HOME": str(home)})
    env.update(
        SECRET_KEY="image-test-key-" + "x" * 40,
        ALLOWED_HOSTS=PUBLIC_HOST,
        SITE_URL=f"https://{PUBLIC_HOST}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        # The image binds 0.0.0.0:8000; here a free port of 127.0.0.1.
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        STATIC_ROOT=str(static_root),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files, collected as the image's build collects them."""
    static_root = tmp_path_factory.mktemp("static")
    (build,) = [
        args for instruction, args in instructions() if instruction == "RUN" and "collectstatic" in args
    ]
    assert build.split("&&")[0].split() == [
        "python",
        "manage.py",
        "collectstatic",
        "--no-input",
        "--verbosity",
        "0",
    ]
    env = image_run_environment(tmp_path_factory.mktemp("build"), services.free_port(), static_root)
    subprocess.run(
        [str(services.BIN / "python"), "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return static_root


@pytest.fixture
def image_server(tmp_path, collected_static):
    """gunicorn started as the image's CMD starts it, with the image's
    environment and production settings: DEBUG off, ALLOWED_HOSTS only the
    public host (not the address the health check asks by). HOME stands in
    for /home/smp, which the image creates for its user."""
    port = services.free_port()
    env = image_run_environment(tmp_path, port, collected_static)
    (cmd,) = [exec_form(args) for instruction, args in instructions() if instruction == "CMD"]
    assert cmd[0] == "gunicorn"
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 (closed below)
    server = services.Service([str(services.BIN / cmd[0]), *cmd[1:]], port, env=env, log=log)
    try:
        wait_until_serving(port, server.process)
        server.env, server.home, server.log_path = env, tmp_path / "home", tmp_path / "gunicorn.log"
        yield server
    finally:
        server.stop()
        log.close()


def wait_until_serving(port, process, seconds=60):
    """Until a worker answers (Docker's start period): asked by the public
    host name, so that this wait does not depend on what the test checks."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": PUBLIC_HOST})
        try:
            urllib.request.urlopen(request, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds}s")


def healthcheck_command(port):
    """The HEALTHCHECK's command, with the image's `python` as this
    project's interpreter and its port 8000 as the test server's."""
    (arguments,) = [args for instruction, args in instructions() if instruction == "HEALTHCHECK"]
    command = exec_form(arguments.split(" CMD ", 1)[1])
    assert command[0] == "python" and "http://127.0.0.1:8000/healthz" in command[-1]
    timeout = int(re.search(r"--timeout=(\d+)s", arguments).group(1))
    return [str(services.BIN / "python"), *command[1:-1], command[-1].replace(":8000/", f":{port}/")], timeout


def test_the_healthcheck_passes_against_gunicorn_with_production_settings(image_server):
    command, timeout = healthcheck_command(image_server.port)
    result = subprocess.run(
        command, env=image_server.env, capture_output=True, text=True, timeout=timeout + 5
    )
    assert result.returncode == 0, result.stderr
    # It asks by address, which production's ALLOWED_HOSTS do not name: any
    # other page asked that way is refused, so the check is not passing by
    # a lax ALLOWED_HOSTS.
    page = subprocess.run(
        [
            str(services.BIN / "python"),
            "-c",
            "import sys, urllib.request, urllib.error\n"
            "try: print(urllib.request.urlopen(sys.argv[1], timeout=30).status)\n"
            "except urllib.error.HTTPError as error: print(error.code)",
            f"http://127.0.0.1:{image_server.port}/meetings/",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert page.stdout.strip() == "400", page.stderr


def test_gunicorn_starts_without_complaint_and_logs_only_json(image_server):
    subprocess.run(healthcheck_command(image_server.port)[0], env=image_server.env, check=True, timeout=30)
    # Stopped here (the fixture's stop then does nothing), so that the log
    # holds gunicorn's lines from start to shutdown.
    image_server.stop()
    lines = [line for line in image_server.log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    loggers = {record["logger"] for record in records}
    assert {"gunicorn.error", "smp_site.requests"} <= loggers
    messages = [record["message"] for record in records]
    assert any(message.startswith("Listening at:") for message in messages)
    # Its control socket is in the user's home, which exists: no
    # "Control server error: Permission denied".
    assert (image_server.home / ".gunicorn" / "gunicorn.ctl").exists() or any(
        "Control socket listening" in message for message in messages
    )
    assert not [r for r in records if r["level"] in ("WARNING", "ERROR", "CRITICAL")], records
    # gunicorn's access log stays off: no line carries the client's address.
    assert "gunicorn.access" not in loggers


def test_make_serve_binds_the_port_it_is_given():
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "serve", "PORT=8110"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    gunicorn_line = result.stdout[result.stdout.rindex("GUNICORN_BIND") - 300 :]
    assert "GUNICORN_BIND=127.0.0.1:8110" in gunicorn_line and "PORT=8110" in gunicorn_line
    assert "gunicorn smp_site.wsgi --config gunicorn.conf.py" in gunicorn_line
    bind = re.search(
        r'^bind = os.environ.get\("GUNICORN_BIND"', (ROOT / "gunicorn.conf.py").read_text(), re.M
    )
    assert bind
