"""
`make fault`: the site under load while what it depends on fails.

It runs the site as production does (gunicorn, production settings) against
a PostgreSQL database of its own (FAULT_DATABASE_URL, recreated each run),
reached through a small TCP proxy started here so that the connection can be
cut and restored, with the page cache on a redis-server of its own on a spare
port. Bounded clients (threads, a request cap and a time limit, loopback
only) browse public pages and answer the police precept survey, each
resident with their own cookies, address and comment. Meanwhile it:

  1. stops redis-server, waits, starts it again;
  2. cuts the database connection (open connections dropped, new ones
     refused), waits, restores it;
  3. freezes redis-server (SIGSTOP: connections accepted, nothing
     answered), waits, thaws it;
  4. partitions the database (connections held open, new ones accepted,
     nothing forwarded), waits, heals it, probing /healthz, /readyz, a
     static file, a cached page and an uncached one meanwhile.

and checks: no 500 at all, and no 5xx while only the cache is down or
frozen; 503 (not 500) while the database is down or partitioned, and cached
pages served meanwhile; every answer within ANSWER_SECONDS while a
dependency hangs; pages at no less than half the rate with Redis frozen as
with it stopped, and as normally; pages and the survey back within RECOVERY_SECONDS of each
restore; every survey response that was shown a
reference is stored exactly once, and none is stored for a resident who
was shown neither its reference nor the "may not have been sent, try again"
page. It prints its figures, and exits 1 if a check fails.

See docs/operations.md.
"""

import asyncio
import hashlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis import Redis, RedisError  # noqa: E402 (the venv's, as the site's)

from tests import services  # noqa: E402 (the project root is on the path now)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("FAULT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smp_fault")
SLUG = "police-precept"
RECOVERY_SECONDS = 5
# While Redis is frozen, pages a second at least this share of normal.
FROZEN_SHARE_OF_NORMAL = 0.5
# A dependency has recovered once the site answers with it for this long
# without a failure (so on every worker).
STEADY_SECONDS = 1
# While Redis is frozen or the database partitioned, every request must be
# answered within this long.
ANSWER_SECONDS = 5
# The timeline, in seconds: normal load, the cache outage, normal again, the
# database outage, normal again, Redis frozen, normal again, the database
# partitioned, then normal until the residents still under way finish.
WARM_UP, CACHE_OUTAGE, BETWEEN, DATABASE_OUTAGE, AFTER = 3, 4, 3, 4, 4
FREEZE, PARTITION = 20, 30
PAGE_THREADS, RESIDENT_THREADS = 3, 5
MAX_REQUESTS = 60000  # the load's bound, whatever the timeline
FINISH_SECONDS = 30  # how long residents under way may take to finish after the load stops
PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/sefton-safer-communities-partnership/",
    "/meetings/",
    "/glossary/",
    "/have-your-say/",
    "/search/?q=crime",
    "/search/?q=community+safety",
]
REFERENCE = re.compile(r"<strong>([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})</strong>")
TRY_AGAIN = "may not have been sent"


def log(message):
    print(f"[fault {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# The services it starts ---------------------------------------------------------


class DatabaseProxy:
    """A TCP proxy to PostgreSQL, in a thread of its own: cut() drops every
    open connection and refuses new ones (accepted, then reset at once), as
    when the database server goes away; restore() lets them through again."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.open = True
        self.pairs = set()
        self.flowing = None  # an asyncio.Event, set unless partitioned
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self):
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(10)
        return self

    async def _listen(self):
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _connection(self, reader, writer):
        if not self.open:
            writer.transport.abort()
            return
        # Partitioned: the connection is accepted and held, nothing forwarded.
        await self.flowing.wait()
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, upstream_writer)
        self.pairs.add(pair)
        try:
            await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
        finally:
            self.pairs.discard(pair)

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                # Partitioned: what was sent waits, as in a network that
                # delivers nothing until it heals.
                await self.flowing.wait()
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.transport.abort()

    def cut(self):
        async def cut():
            self.open = False
            for pair in list(self.pairs):
                for writer in pair:
                    writer.transport.abort()

        asyncio.run_coroutine_threadsafe(cut(), self.loop).result(10)

    def restore(self):
        self.open = True

    def partition(self):
        """Connections stay open and new ones are accepted, but nothing is
        forwarded either way: a database that hangs rather than refuses."""
        self.loop.call_soon_threadsafe(self.flowing.clear)

    def heal(self):
        self.loop.call_soon_threadsafe(self.flowing.set)


class RedisServer:
    def __init__(self, workdir):
        self.port = services.free_port()
        self.workdir = workdir
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: redis_ping(self.port), 10, "redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self):
        """SIGSTOP: connections are accepted by the kernel, nothing answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


def redis_ping(port):
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_for(check, seconds, failure):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(failure)


def connect(dbname=None):
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    return psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=dbname or parts.path.lstrip("/"),
    )


def prepare_database(env):
    services.recreate_database(DATABASE_URL)
    # In one process: starting Django costs seconds on a busy machine.
    script = (
        "import django; django.setup(); from django.core.management import call_command as c; "
        "c('migrate', interactive=False, verbosity=0); c('createcachetable', verbosity=0); "
        "c('load_initial_content', verbosity=0, stdout=open('/dev/null', 'w')); "
        "c('collectstatic', interactive=False, verbosity=0)"
    )
    subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True)


class Server:
    """gunicorn with production settings, as `make serve` runs it."""

    def __init__(self, env, logfile):
        self.env = env
        self.port = services.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = logfile

    def start(self):
        self.process = subprocess.Popen(
            [GUNICORN, "smp_site.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.logfile,
            stderr=self.logfile,
            start_new_session=True,
        )
        wait_for(lambda: fetch(self.base + "/healthz")[0] == 200, 60, "gunicorn did not start")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# The clients ------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, data=None, opener=None, headers=()):
    """(status, headers, body); status 0 when the connection itself failed."""
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=dict(headers))
    try:
        with (opener or urllib.request.build_opener(NoRedirect)).open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except OSError:
        return 0, {}, ""


class Load:
    """What every request got, by the phase it started in, under a bound on
    the number of requests."""

    def __init__(self):
        self.phase = "normal"
        self.epoch = 0  # one more at every change of phase
        self.results = []  # (phase, status)
        self.seconds = []  # (phase, status, seconds the answer took, path)
        self.durations = Counter()  # phase -> seconds spent in it
        self.entered = time.monotonic()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def record(self, phase, status, seconds=0.0, url=""):
        with self.lock:
            self.results.append((phase, status))
            self.seconds.append((phase, status, seconds, urlsplit(url).path))
            if len(self.results) >= MAX_REQUESTS:
                self.stopping.set()

    def enter(self, phase):
        now = time.monotonic()
        self.durations[self.phase] += now - self.entered
        self.phase, self.entered = phase, now
        self.epoch += 1

    def rate(self, phase, paths=None):
        """Requests a second that started and ended in `phase` (of `paths` only, if given)."""
        count = sum(1 for p, _s, _t, path in self.seconds if p == phase and (paths is None or path in paths))
        return count / self.durations[phase] if self.durations[phase] else 0.0

    def get(self, url, **kwargs):
        phase, epoch = self.phase, self.epoch
        started = time.monotonic()
        status, headers, body = fetch(url, **kwargs)
        # A request that a change of phase overtook belongs to neither.
        self.record(phase if epoch == self.epoch else "transition", status, time.monotonic() - started, url)
        return status, headers, body


class Resident:
    """One resident's journey, each with their own cookies, address and
    comment. On "unavailable, try again" they wait a little and try the same
    step again, as the page asks; what they were shown is kept."""

    def __init__(self, number, load, base, questions):
        self.number = number
        self.load = load
        self.base = base
        self.questions = questions
        self.comment = f"fault-suite resident {number} {time.time_ns()}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.reference = None
        self.told_try_again = False
        self.unexpected = []

    def step(self, path, data=None, deadline=None):
        while True:
            headers = {"X-Forwarded-For": f"10.9.{self.number // 256 % 256}.{self.number % 256}"}
            token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
            if data is not None and token:
                headers["X-CSRFToken"] = token
            status, response_headers, body = self.load.get(
                self.base + path, data=data, opener=self.opener, headers=headers
            )
            if status == 503 and TRY_AGAIN in body:
                self.told_try_again = True
            elif status in (200, 302):
                return status, response_headers.get("Location", ""), body
            else:
                self.unexpected.append((path, status))
            if time.monotonic() > deadline:
                return None
            time.sleep(0.3)

    def journey(self, deadline):
        pages = f"/have-your-say/{SLUG}/questions/"
        if self.step(pages + "1/", deadline=deadline) is None:
            return
        for number, (question, value) in enumerate(self.questions(self.comment), start=1):
            if self.step(f"{pages}{number}/", {f"q{question}-answer": value}, deadline) is None:
                return
        sent = self.step(f"/have-your-say/{SLUG}/send/", {"skip": "1", "website": ""}, deadline)
        if sent is None:
            return
        status, location, _body = sent
        if status != 302 or "/sent/" not in location:
            self.unexpected.append(("send", status, location))
            return
        shown = self.step(location, deadline=deadline)
        if shown is not None:
            found = REFERENCE.search(shown[2])
            self.reference = found.group(1) if found else None


def question_plan():
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT q.code, q.id FROM consultation_question q JOIN consultation_consultation c"
            " ON c.id = q.consultation_id WHERE c.slug = %s",
            [SLUG],
        )
        ids = dict(cursor.fetchall())
    connection.close()
    return lambda comment: [(ids["willing"], "yes"), (ids["district"], "sefton"), (ids["comment"], comment)]


def stored_responses():
    """comment -> [references] of the survey's stored responses."""
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.text, r.reference FROM consultation_answer a"
            " JOIN consultation_response r ON r.id = a.response_id"
            " JOIN consultation_question q ON q.id = a.question_id WHERE q.code = 'comment'"
        )
        rows = cursor.fetchall()
    connection.close()
    stored = {}
    for comment, reference in rows:
        stored.setdefault(comment, []).append(reference)
    return stored


def percentile(values, percent):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * percent / 100))] if values else 0.0


class Probes(threading.Thread):
    """During the partition, what an operator and a visitor would try, each
    once a second: /healthz (200), /readyz (503 naming the database), a
    static file (200), a cached page (200) and a page that needs the
    database (a styled 503 with Retry-After); each within ANSWER_SECONDS."""

    def __init__(self, base, load):
        super().__init__(daemon=True)
        self.base = base
        self.load = load
        self.stopping = threading.Event()
        self.failures = []
        self.seen = Counter()
        self.slowest = 0.0
        status, _headers, body = fetch(base + "/")
        found = re.search(r'href="(/static/[^"]+\.css)"', body)
        self.static = found.group(1) if found else "/static/missing.css"

    def check(self, path, expect):
        started = time.monotonic()
        status, headers, body = fetch(self.base + path)
        seconds = time.monotonic() - started
        self.slowest = max(self.slowest, seconds)
        problem = expect(status, headers, body)
        if seconds > ANSWER_SECONDS:
            problem = f"took {seconds:.1f} s"
        self.seen[path, status] += 1
        if problem:
            self.failures.append(f"during the partition {path}: {problem}")

    def run(self):
        def status_is(wanted):
            return lambda status, _h, _b: None if status == wanted else f"answered {status}"

        def readyz(status, _headers, body):
            if (
                status != 503
                or '"database"' not in body
                or '"ok": false' not in body.replace('"ok":false', '"ok": false')
            ):
                return f"answered {status}: {body[:200]}"
            return None

        def unavailable(status, headers, body):
            if (
                status != 503
                or not headers.get("Retry-After")
                or "Sorry, the service is unavailable" not in body
            ):
                return f"answered {status} (Retry-After {headers.get('Retry-After')!r})"
            return None

        # Let the partition be noticed: a request under way when it began may
        # rightly take its full bound.
        self.stopping.wait(1)
        while not self.stopping.is_set():
            self.check("/healthz", status_is(200))
            self.check("/readyz", readyz)
            self.check(self.static, status_is(200))
            self.check("/glossary/", status_is(200))
            self.check(f"/search/?q=partnership+{time.time_ns()}", unavailable)
            self.stopping.wait(1)

    def stop(self):
        self.stopping.set()
        self.join(30)

    def summary(self):
        checks = sum(self.seen.values())
        return f"probes {checks} (healthz, readyz, static, cached page, uncached page), slowest {self.slowest:.2f} s"


def recovery(base, needs, started, steady=STEADY_SECONDS):
    """Seconds from `started` until `needs(base)` holds, polled every 0.1 s,
    and goes on holding for `steady` seconds: each poll reaches whichever
    worker takes it, and every worker must be back (one whose circuit
    breaker is still open answers 503 a moment longer)."""
    first = None
    while time.monotonic() - started < 60:
        if needs(base):
            now = time.monotonic()
            first = now if first is None else first
            if now - first >= steady:
                return first - started
        else:
            first = None
        time.sleep(0.1)
    return float("inf")


def database_answers(base):
    # A search nobody made before, so that it is built, not read from the cache.
    status, _headers, _body = fetch(f"{base}/search/?q=partnership+{time.time_ns()}")
    return status == 200 and fetch(base + "/healthz")[0] == 200


def cache_answers(redis_port):
    """Whether a page nobody asked for before is built and stored in Redis
    (a worker that cannot reach Redis serves it too, kept in its own
    memory: only Redis holding it shows that the cache is used again)."""

    def answers(base):
        url = f"{base}/glossary/?probe={time.time_ns()}"
        status, headers, _body = fetch(url)
        if status != 200 or headers.get("X-Page-Cache") not in ("miss", "hit"):
            return False
        digest = hashlib.sha256(url.encode()).hexdigest()
        try:
            return bool(Redis(port=redis_port, socket_timeout=1).keys(f"*:{digest}"))
        except RedisError:
            return False

    return answers


# The run ------------------------------------------------------------------------------


def main():
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="smp-fault-")
    redis = RedisServer(workdir)
    redis.start()
    parts = urlsplit(DATABASE_URL)
    proxy = DatabaseProxy(parts.hostname, parts.port or 5432).start()
    proxied = DATABASE_URL.replace(parts.netloc.split("@")[-1], f"127.0.0.1:{proxy.port}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smp_site.settings",
        "SECRET_KEY": "fault-suite-only-" + "k3y" * 20,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CONSULTATION_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DEBUG", None)
    log(f"preparing {parts.path.lstrip('/')} (migrate, initial content, static files)")
    prepare_database(env)
    logpath = Path(workdir) / "gunicorn.log"
    logfile = open(logpath, "ab")  # noqa: SIM115 (kept open for gunicorn's lifetime)
    server = Server({**env, "DATABASE_URL": proxied}, logfile)
    server.start()
    failures = []
    try:
        summary = run_load(server.base, redis, proxy, failures)
    finally:
        server.stop()
        logfile.close()
        if redis.process.poll() is None:
            redis.stop()
    summary["seconds"] = round(time.monotonic() - started)
    print(
        "fault suite: {requests} requests, {faults} faults injected (redis stopped and restarted, "
        "database cut and restored, redis frozen, database partitioned), 5xx {fivexx} (500: "
        "{five_hundred}, 503 during the database outage: {db_503}), residents {residents}: {referenced} "
        "shown a reference, {stored} stored, {lost} lost, {duplicated} duplicated, {unacknowledged} "
        "stored unacknowledged; recovery {cache_recovery:.1f} s (cache), {db_recovery:.1f} s (database), "
        "{freeze_recovery:.1f} s (frozen cache), {partition_recovery:.1f} s (partition); {seconds} s\n"
        "  redis frozen {freeze} s: {frozen_rate:.1f} pages/s against {stopped_rate:.1f} with redis stopped "
        "and {normal_rate:.1f} normally (from the cache): {frozen_share:.2f} of normal, p95 "
        "{frozen_p95:.2f} s\n"
        "  database partitioned {partition} s: {partition_requests} requests, {partition_200} x 200 "
        "(cached), {partition_503} x 503, slowest {partition_max:.2f} s, p95 {partition_p95:.2f} s; "
        "{probes}".format(**summary, freeze=FREEZE, partition=PARTITION)
    )
    if failures:
        for failure in failures:
            log(f"FAILED: {failure}")
        log(f"gunicorn's log: {logpath}")
        sys.exit(1)
    shutil.rmtree(workdir, ignore_errors=True)


BROWSED = {urlsplit(page).path for page in PAGES}


def run_load(base, redis, proxy, failures):
    for path in PAGES:
        status = fetch(base + path)[0]
        if status != 200:
            failures.append(f"{path} answered {status} before any fault")
    load = Load()
    questions = question_plan()
    residents = []
    numbers = iter(range(1_000_000))
    numbers_lock = threading.Lock()

    def browse(index):
        n = index
        while not load.stopping.is_set():
            load.get(base + PAGES[n % len(PAGES)])
            n += 1

    def answer():
        while not load.stopping.is_set():
            with numbers_lock:
                resident = Resident(next(numbers), load, base, questions)
                residents.append(resident)
            resident.journey(time.monotonic() + FINISH_SECONDS + 30)

    threads = [threading.Thread(target=browse, args=(i,)) for i in range(PAGE_THREADS)]
    threads += [threading.Thread(target=answer) for _ in range(RESIDENT_THREADS)]
    for thread in threads:
        thread.start()

    def wait(seconds):
        load.stopping.wait(seconds)

    wait(WARM_UP)
    log("stopping redis-server")
    load.enter("cache-down")
    redis.stop()
    wait(CACHE_OUTAGE)
    log("starting redis-server again")
    redis.start()
    restored = time.monotonic()
    load.enter("normal")
    cache_recovery = recovery(base, cache_answers(redis.port), restored)
    wait(BETWEEN)
    log("cutting the database connection")
    load.enter("database-down")
    proxy.cut()
    wait(DATABASE_OUTAGE)
    log("restoring the database connection")
    proxy.restore()
    restored = time.monotonic()
    load.enter("recovering")
    db_recovery = recovery(base, database_answers, restored)
    load.enter("normal")
    wait(BETWEEN)

    log(f"freezing redis-server (SIGSTOP) for {FREEZE} s")
    load.enter("cache-frozen")
    redis.freeze()
    wait(FREEZE)
    log("thawing redis-server")
    redis.thaw()
    thawed = time.monotonic()
    load.enter("recovering")
    freeze_recovery = recovery(base, cache_answers(redis.port), thawed)
    load.enter("normal")
    wait(BETWEEN)

    log(f"partitioning the database (connections held, nothing forwarded) for {PARTITION} s")
    load.enter("partition")
    proxy.partition()
    probes = Probes(base, load)
    probes.start()
    wait(PARTITION)
    probes.stop()
    log("healing the partition")
    proxy.heal()
    healed = time.monotonic()
    load.enter("recovering")
    partition_recovery = recovery(base, database_answers, healed)
    load.enter("normal")
    wait(AFTER)
    load.stopping.set()
    load.enter("finishing")
    for thread in threads:
        thread.join(FINISH_SECONDS + 60)

    statuses = Counter(load.results)
    by_phase = Counter()
    for (phase, status), count in statuses.items():
        by_phase[phase, status // 100 * 100 if status else 0] += count
    five_hundred = sum(count for (_phase, status), count in statuses.items() if status == 500)
    fivexx = sum(count for (_phase, status), count in statuses.items() if status >= 500)
    db_503 = statuses["database-down", 503]
    if five_hundred:
        failures.append(f"{five_hundred} responses were 500")
    for phase in ("normal", "cache-down"):
        if by_phase[phase, 500]:
            which = Counter(
                (path, status) for p, status, _t, path in load.seconds if p == phase and status >= 500
            )
            failures.append(f"{by_phase[phase, 500]} 5xx while {phase}: {dict(which)}")
    if not db_503:
        failures.append("no 503 while the database was down")
    if statuses["cache-down", 200] == 0:
        failures.append("no page was served while the cache was down")
    lost_connections = sum(count for (_phase, status), count in statuses.items() if status == 0)
    if lost_connections:
        failures.append(f"{lost_connections} requests got no response at all")
    for phase in ("cache-frozen", "partition"):
        slow = [
            (path, status, round(t, 1))
            for p, status, t, path in load.seconds
            if p == phase and t > ANSWER_SECONDS
        ]
        if slow:
            failures.append(f"{len(slow)} requests took over {ANSWER_SECONDS} s while {phase}: {slow[:5]}")
    if by_phase["cache-frozen", 500]:
        failures.append(f"{by_phase['cache-frozen', 500]} 5xx while the cache was frozen")
    # A frozen Redis must cost no more than a stopped one (nothing may wait
    # on the frozen one's timeouts), and keep at least half the pages a
    # second of normal: each worker serves the pages it served lately from
    # its own memory (foundation/local_cache.py).
    normal_rate, frozen_rate = load.rate("normal", BROWSED), load.rate("cache-frozen", BROWSED)
    stopped_rate = load.rate("cache-down", BROWSED)
    if frozen_rate < stopped_rate / 2:
        failures.append(
            f"pages a second with the cache frozen {frozen_rate:.1f}, under half of {stopped_rate:.1f} "
            "with it stopped"
        )
    if frozen_rate < normal_rate * FROZEN_SHARE_OF_NORMAL:
        failures.append(
            f"pages a second with the cache frozen {frozen_rate:.1f}, under {FROZEN_SHARE_OF_NORMAL} of "
            f"{normal_rate:.1f} normally"
        )
    partition_200 = statuses["partition", 200]
    partition_503 = statuses["partition", 503]
    if not partition_200:
        failures.append("no page was served from the cache during the partition")
    if not partition_503:
        failures.append("no 503 during the partition")
    failures.extend(probes.failures)
    partition_seconds = [t for p, _status, t, _path in load.seconds if p == "partition"]
    for name, seconds in (
        ("cache", cache_recovery),
        ("database", db_recovery),
        ("frozen cache", freeze_recovery),
        ("partitioned database", partition_recovery),
    ):
        if seconds > RECOVERY_SECONDS:
            failures.append(f"the {name} took {seconds:.1f} s to recover (limit {RECOVERY_SECONDS})")

    stored = stored_responses()
    lost = duplicated = unacknowledged = referenced = 0
    for resident in residents:
        references = stored.get(resident.comment, [])
        if resident.reference:
            referenced += 1
            if not references:
                lost += 1
            elif references != [resident.reference]:
                duplicated += 1
        elif references and not resident.told_try_again:
            unacknowledged += 1
        if resident.unexpected:
            failures.append(f"resident {resident.number} was shown {resident.unexpected}")
    if lost or duplicated or unacknowledged:
        failures.append(
            f"responses lost {lost}, duplicated {duplicated}, stored unacknowledged {unacknowledged}"
        )
    if not referenced:
        failures.append("no resident got a reference")
    if any(count > 1 for count in map(len, stored.values())):
        failures.append("a comment is stored more than once")
    return {
        "requests": len(load.results),
        "faults": 4,
        "fivexx": fivexx,
        "five_hundred": five_hundred,
        "db_503": db_503,
        "residents": len(residents),
        "referenced": referenced,
        "stored": sum(map(len, stored.values())),
        "lost": lost,
        "duplicated": duplicated,
        "unacknowledged": unacknowledged,
        "cache_recovery": cache_recovery,
        "db_recovery": db_recovery,
        "freeze_recovery": freeze_recovery,
        "partition_recovery": partition_recovery,
        "normal_rate": normal_rate,
        "frozen_rate": frozen_rate,
        "frozen_share": frozen_rate / normal_rate if normal_rate else 0.0,
        "stopped_rate": stopped_rate,
        "partition_requests": len(partition_seconds),
        "partition_200": partition_200,
        "partition_503": partition_503,
        "partition_max": max(partition_seconds, default=0.0),
        "partition_p95": percentile(partition_seconds, 95),
        "frozen_p95": percentile([t for p, _s, t, _path in load.seconds if p == "cache-frozen"], 95),
        "probes": probes.summary(),
    }


if __name__ == "__main__":
    main()
