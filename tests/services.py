"""Real servers for the tests that need them, each on a free port of
127.0.0.1, started as subprocesses and stopped afterwards: redis-server, the
S3-compatible moto server, a Celery worker, gunicorn."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {seconds}s")


def wait_for_url(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds}s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Service:
    def __init__(self, args, port, env=None, log=None):
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        )

    def stop(self):
        stop(self.process)


def start_redis():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is missing: apt-get install redis-server")
    port = free_port()
    service = Service(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], port
    )
    wait_for_port(port, service.process)
    service.url = f"redis://127.0.0.1:{port}/0"
    return service


def start_gunicorn(env, log):
    """The site as production serves it (gunicorn, gunicorn.conf.py) on a free
    port, answering /healthz before this returns."""
    port = free_port()
    server = Service(
        [
            str(BIN / "gunicorn"),
            "smp_site.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        port,
        env=env,
        log=log,
    )
    server.url = f"http://127.0.0.1:{port}"
    try:
        wait_for_url(f"{server.url}/healthz", server.process, seconds=60)
    except RuntimeError:
        server.stop()
        raise
    return server


def start_celery_worker(env, log):
    """A Celery worker running one job at a time, as `celery -A smp_site worker` does."""
    return Service(
        [
            str(BIN / "celery"),
            "-A",
            "smp_site",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        port=None,
        env=env,
        log=log,
    )


def start_moto():
    """moto's standalone server: a real HTTP server speaking the S3 API."""
    port = free_port()
    service = Service([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], port)
    wait_for_port(port, service.process)
    service.url = f"http://127.0.0.1:{port}"
    return service


def s3_client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="eu-west-2",
    )


def s3_environment(endpoint, bucket):
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }


def _as_administrator(url, *statements):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    name = parts.path.lstrip("/")
    with admin.cursor() as cursor:
        for statement in statements:
            # A statement, or a statement and its parameters.
            sql, params = statement if isinstance(statement, tuple) else (statement, None)
            cursor.execute(sql.format(name=name), params)
    admin.close()


def recreate_database(url):
    """An empty PostgreSQL database of the name `url` gives, dropped first
    (its connections ended) if it exists: for the runs that serve the site
    from a database of their own (fuzz, faults, schemathesis, bench)."""
    _as_administrator(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', 'CREATE DATABASE "{name}"')


def drop_database(url):
    _as_administrator(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_database(source_url, copy_url):
    """A copy of the database `source_url` names, as the database
    `copy_url` names (dropped first if it exists). PostgreSQL copies only a
    database no one is connected to: the source's connections (autovacuum's,
    say) are ended first."""
    source = urllib.parse.urlsplit(source_url).path.lstrip("/")
    quoted = source.replace('"', '""')
    _as_administrator(
        copy_url,
        'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        (
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        ),
        f'CREATE DATABASE "{{name}}" TEMPLATE "{quoted}"',
    )


def database_url(settings_dict):
    """The URL of the test database the suite is using (PostgreSQL)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def environment(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(extra)
    return env


def production_environment(**extra):
    """Production settings for app servers and workers the tests start, on
    the suite's own (PostgreSQL) test database, over plain HTTP on 127.0.0.1."""
    from django.conf import settings

    return environment(
        DJANGO_SETTINGS_MODULE="tests.server_settings",
        SECRET_KEY="test-servers-key-" + "x" * 40,
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        **extra,
    )
