"""
`make bench`: speed, scale and load of the site, measured side by side, at a
tenth of the national dataset in at most 8 minutes; `make bench-full` (--full)
at national scale (PROFILES, below).

It runs the site as production does (gunicorn, production settings, DEBUG
off, collected static files) against PostgreSQL, and loads it with wrk from
a second process on this machine. Machines here are shared and noisy, so
every speed figure is also given as a ratio to a baseline measured in the
same run: a trivial view (`/bench/baseline`) through the same middleware, the
same gunicorn and the same load generator. Each figure is the median of
several rounds.

Sections:
  0. the realistic mix: cold cache, the running site with a clerk saving, after
     a restart and after a deploy of new code (Python and templates), and pages
     served per CPU-second
  1. queries per page, at the seed content and at the national-scale dataset
  2. throughput and latency per page alone, and its ratio to the baseline
     (make bench-full, or --page-load)
  3. scale: how page time grows from the seed content to the national size
  4. the survey's final POST under concurrent load, with a lost/duplicated count
  5. page weight over the wire (compressed), first visit and second page
  and search times, at both sizes (the national index rebuilt and timed)

It measures only the server it started: it refuses to start while anything
answers on its port, accepts a server only once it shows the token this run
gave it, and stops every process it started (bench/processes.py) when it
ends, fails or is stopped by SIGTERM or SIGINT. `--check-only` starts and
checks the server alone (tests/bench/).

Nothing here is part of `make test`.
"""

import argparse
import concurrent.futures
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import processes  # noqa: E402 (bench/processes.py, beside this file)

from tests import services  # noqa: E402 (the project root is on the path now)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smp_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": "bench-only-" + "k3y" * 20,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "BENCH_BASELINE": "true",
    # Each simulated resident of bench/survey.py comes from its own address,
    # sent as X-Forwarded-For as a proxy would.
    "CONSULTATION_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    "DJANGO_SETTINGS_MODULE": "smp_site.settings",
    "LOG_LEVEL": "WARNING",
}
ENV.pop("DEBUG", None)


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def manage(*args, env=None):
    processes.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or ENV, check=True)


# Vacuum and analyse the bench database, then checkpoint (a superuser's or
# pg_checkpoint's right; without it the checkpoint comes in its own time).
SETTLE = """
from django.db import DatabaseError, connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM (ANALYZE)")
    try:
        cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        print("no checkpoint:", error)
"""


class PortInUse(SystemExit):
    """The bench's port already answers: whatever answers is not the server
    this run would start, and would be measured in its place."""

    def __init__(self, port):
        super().__init__(
            f"bench: port {port} already answers (a server left running?): stop it, "
            "or set BENCH_PORT to a free port"
        )


class NotOurServer(RuntimeError):
    pass


class Server:
    """gunicorn with production settings, as `make serve` runs it, on
    `port`; refused if the port already answers, and accepted only once the
    server answering there shows the token this run gave it."""

    def __init__(self, env, port=None, root=ROOT):
        self.env = dict(env)
        self.port = port or PORT
        self.root = root
        self.process = None
        self.token = secrets.token_hex(16)

    def __enter__(self):
        if processes.port_answers(self.port):
            raise PortInUse(self.port)
        self.log = open(ROOT / "bench" / "results" / "gunicorn.log", "ab")
        self.process = processes.spawn(
            [GUNICORN, "smp_site.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=self.root,
            env={**self.env, "BENCH_SERVER_TOKEN": self.token},
            stdout=self.log,
            stderr=self.log,
        )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_it_answers(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: see bench/results/gunicorn.log"
                )
            try:
                # An address of its own (the query), never answered from the
                # page cache, where an earlier server's answer may be kept.
                _, headers = fetch(f"http://127.0.0.1:{self.port}/bench/baseline?server={self.token}")
                status = 200
            except urllib.error.HTTPError as error:
                headers, status = error.headers, error.code  # an answer all the same, from some server
            except OSError:
                time.sleep(0.3)
                continue
            if headers.get("X-Bench-Server") != self.token and status >= 500:
                raise RuntimeError(
                    f"the server on port {self.port} answers the baseline with HTTP {status}, "
                    "without this run's token: see bench/results/gunicorn.log"
                )
            if headers.get("X-Bench-Server") != self.token:
                raise NotOurServer(
                    f"the server answering on port {self.port} is not the one this run started "
                    "(its X-Bench-Server header does not carry this run's token)"
                )
            return
        raise RuntimeError("gunicorn did not start within 60s: see bench/results/gunicorn.log")

    def cpu_seconds(self):
        """CPU time used so far by the live processes of this server
        (gunicorn's master and its workers; not the database's)."""
        return processes.group_cpu_seconds(self.process.pid)

    def __exit__(self, *exc):
        processes.stop_group(self.process.pid)
        self.process.wait(timeout=30)
        self.log.close()


def wrk(path, seconds, connections):
    """One wrk round: (requests per second, p50 ms, p99 ms, non-2xx/3xx)."""
    result = processes.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"{BASE}{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (
        rps,
        to_ms(latency["50"]),
        to_ms(latency["99"]),
        int(errors.group(1)) if errors else 0,
        requests_done(out),
    )


def requests_done(wrk_output):
    return int(re.search(r"(\d+) requests in", wrk_output).group(1))


def with_cpu(server, measure, *args, **kwargs):
    """measure(*args, **kwargs) and the CPU seconds the server's processes
    used meanwhile."""
    before = server.cpu_seconds()
    result = measure(*args, **kwargs)
    return result, server.cpu_seconds() - before


WRK_THREADS = 2


def wrk_mix(paths_file, seconds, connections, offset):
    """One wrk round over the realistic mix, going on from `offset` requests
    into the sequence: as wrk() plus the page cache's hits and misses and the
    requests sent, counted by bench/realistic.lua."""
    result = processes.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "realistic.lua"),
            BASE,
            "--",
            str(paths_file),
            str(offset),
            str(WRK_THREADS),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    counts = json.loads(re.search(r"^REALISTIC (.*)$", out, re.M).group(1))
    return rps, to_ms(latency["50"]), to_ms(latency["99"]), counts, requests_done(out)


def read_each_once(pages_file, connections):
    """Every page of the list requested once, `connections` at a time, as
    the mix asks for them (gzip), so that each is in the page cache. Returns
    the seconds it took and the page cache's hits, misses and 5xx."""
    paths = pages_file.read_text().split()
    local = threading.local()
    counts = {"hits": 0, "misses": 0, "errors": 0}
    lock = threading.Lock()

    def get(path):
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        local.connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = local.connection.getresponse()
        response.read()
        cache = response.getheader("X-Page-Cache")
        with lock:
            counts["hits" if cache == "hit" else "misses"] += 1
            counts["errors"] += response.status >= 500

    started = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(connections)
    try:
        list(pool.map(get, paths))
    finally:
        # Interrupted, the requests not yet sent are dropped, not sent.
        pool.shutdown(cancel_futures=True)
    return {"pages": len(paths), "seconds": time.monotonic() - started, **counts}


def realistic_load(server, env, rounds, seconds, connections, cold_seconds, pages, requests):
    """The headline: visitors spread over tens of thousands of pages by
    popularity while a clerk saves a record a second, against the baseline
    measured in the same rounds.

    First the site from a cold page cache (a restart that lost the cache):
    the mix for `cold_seconds`, no clerk. Then the site as it runs: every
    listed page read once, as a site that keeps pages for
    PAGE_CACHE_SECONDS has had each of them read within that time (the
    report gives how often the least-read page is read at the measured
    rate, to check it), and the rounds, each going on through the sequence
    where the one before stopped, so that no round replays pages another has
    just cached: what they find cached is what the clerk's saves left."""
    paths_file = ROOT / "bench" / "results" / "realistic-paths.txt"
    pages_file = ROOT / "bench" / "results" / "realistic-pages.txt"
    drawn = json.loads(
        processes.run(
            [
                PYTHON,
                "bench/realistic.py",
                "urls",
                "--out",
                str(paths_file),
                "--pages-out",
                str(pages_file),
                "--pages",
                str(pages),
                "--requests",
                str(requests),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    log(f"realistic mix: from a cold page cache for {cold_seconds}s")
    cold, cold_cpu = with_cpu(server, wrk_mix, paths_file, cold_seconds, connections, offset=0)
    offset = cold[3]["sent"]
    log(f"realistic mix: reading each of the {drawn['pages']:,} listed pages once")
    read_once = read_each_once(pages_file, connections)
    clerk = processes.spawn(
        [PYTHON, "bench/realistic.py", "clerk", "--seconds", "3600"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    # The rounds start when the clerk starts saving, and end its work.
    assert clerk.stdout.readline().strip() == "ready"
    mix, baseline = [], []
    mix_cpu = baseline_cpu = 0.0
    try:
        for _ in range(rounds):
            result, cpu = with_cpu(server, wrk, "/bench/baseline", seconds, connections)
            baseline.append(result)
            baseline_cpu += cpu
            result, cpu = with_cpu(server, wrk_mix, paths_file, seconds, connections, offset)
            mix.append(result)
            mix_cpu += cpu
            offset += mix[-1][3]["sent"]
    finally:
        clerk.terminate()
        clerk_out, _ = clerk.communicate(timeout=60)
    hits = sum(r[3]["hits"] for r in mix)
    looked_up = hits + sum(r[3]["misses"] for r in mix)
    base_rps = statistics.median(r[0] for r in baseline)
    mix_rps = statistics.median(r[0] for r in mix)
    return {
        "drawn": drawn,
        "rps": mix_rps,
        "p50_ms": statistics.median(r[1] for r in mix),
        "p99_ms": statistics.median(r[2] for r in mix),
        "baseline_rps": base_rps,
        "baseline_p50_ms": statistics.median(r[1] for r in baseline),
        "baseline_p99_ms": statistics.median(r[2] for r in baseline),
        # Each round's mix against the baseline measured just before it, the
        # median of those: a slow spell of the machine (autovacuum after
        # thousands of cache writes, another process) then weighs on both
        # sides of one ratio, not on one side of the comparison.
        "ratio": statistics.median(m[0] / b[0] for b, m in zip(baseline, mix, strict=True)),
        "rounds_rps": [[round(b[0]), round(m[0])] for b, m in zip(baseline, mix, strict=True)],
        "hit_rate": hits / looked_up if looked_up else 0.0,
        "errors": sum(r[3]["errors"] for r in mix),
        "clerk": clerk_out.strip().splitlines()[-1] if clerk_out.strip() else "terminated",
        "requests_into_sequence": offset,
        "read_once": read_once,
        # How often the least-read listed page is read at the measured rate:
        # a site that keeps pages longer than that has it cached.
        "rarest_page_every_seconds": 1 / (mix_rps * drawn["rarest_share"]),
        "page_cache_seconds": page_cache_seconds(env),
        "cold_seconds": cold_seconds,
        "cold_rps": cold[0],
        "cold_ratio": cold[0] / base_rps,
        "cold_hit_rate": cold[3]["hits"] / max(1, cold[3]["hits"] + cold[3]["misses"]),
        # Pages served per CPU-second of the server's processes (gunicorn's
        # master and workers; PostgreSQL's not counted): what sets the bill.
        "per_cpu_second": {
            "mix": sum(r[4] for r in mix) / max(mix_cpu, 0.001),
            "baseline": sum(r[4] for r in baseline) / max(baseline_cpu, 0.001),
            "cold": cold[4] / max(cold_cpu, 0.001),
        },
    }


def after_restart(server, env, realistic, seconds, connections, offset):
    """The first `seconds` of a server just started on a running page cache,
    with the clerk saving: a restart, or a deploy (Release). Goes on through
    the sequence from `offset` requests in, replaying no page an earlier
    stage has just read; its ratio is to the rounds' baseline."""
    clerk = processes.spawn(
        [PYTHON, "bench/realistic.py", "clerk", "--seconds", "3600"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert clerk.stdout.readline().strip() == "ready"
    paths_file = ROOT / "bench" / "results" / "realistic-paths.txt"
    try:
        result, cpu = with_cpu(server, wrk_mix, paths_file, seconds, connections, offset)
    finally:
        clerk.terminate()
        clerk.communicate(timeout=60)
    counts = result[3]
    return {
        "seconds": seconds,
        "rps": result[0],
        "ratio": result[0] / realistic["baseline_rps"],
        "hit_rate": counts["hits"] / max(1, counts["hits"] + counts["misses"]),
        "errors": counts["errors"],
        "per_cpu_second": result[4] / max(cpu, 0.001),
        "requests_into_sequence": offset + result[4],
    }


class Release:
    """This checkout as a deploy of new code brings it: a copy of its tree
    (bench/results/release) with a comment added to a Python file of the
    site and to the template every page extends, and the same packages and
    collected static files. Its page_cache.code_version() differs and its
    assets_version() is the same, and the bench checks both before serving
    from it: the pages the last release built are served while its own
    replace them (PAGE_CACHE_PREVIOUS_RELEASE_SECONDS, docs/caching.md)."""

    def __init__(self, env):
        self.root = ROOT / "bench" / "results" / "release"
        # The collected static files and the uploaded papers are the running
        # site's, as on a server where they live outside the release.
        self.env = {**env, "STATIC_ROOT": str(ROOT / "staticfiles"), "MEDIA_ROOT": str(ROOT / "media")}

    def __enter__(self):
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(
            ROOT,
            self.root,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "node_modules", "results", "__pycache__", "staticfiles", "media"
            ),
        )
        try:
            with open(self.root / "smp_site" / "wsgi.py", "a") as wsgi:
                wsgi.write("\n# A release of new code, made by bench/run.py.\n")
            with open(self.root / "templates" / "base.html", "a") as base:
                base.write("{# A release of new templates, made by bench/run.py. #}\n")
            before, after = self.digests(ROOT), self.digests(self.root)
            if before["assets"] != after["assets"] or before["code"] == after["code"]:
                raise RuntimeError(f"the release copy is not a deploy of code alone: {before} then {after}")
        except BaseException:
            self.__exit__()
            raise
        self.digests_seen = {"before": before, "after": after}
        return self

    def digests(self, root):
        return json.loads(
            processes.run(
                [
                    PYTHON,
                    "-c",
                    "import django, json; django.setup(); from foundation import page_cache as p; "
                    "print(json.dumps({'assets': p.assets_version(), 'code': p.code_version()}))",
                ],
                cwd=root,
                env=self.env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[-1]
        )

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def page_cache_seconds(env):
    return int(
        processes.run(
            [
                PYTHON,
                "-c",
                "import django; django.setup(); from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
    )


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def load_pages(paths, rounds, seconds, connections):
    """Median of `rounds` wrk rounds for each path, baseline interleaved so
    that drift in the machine's load affects both alike."""
    samples = {path: [] for path in ["/bench/baseline", *paths]}
    for _ in range(rounds):
        for path in samples:
            samples[path].append(wrk(path, seconds, connections))
    results = {}
    for path, rows in samples.items():
        results[path] = {
            "rps": statistics.median(r[0] for r in rows),
            "p50_ms": statistics.median(r[1] for r in rows),
            "p99_ms": statistics.median(r[2] for r in rows),
            "errors": sum(r[3] for r in rows),
        }
    baseline = results["/bench/baseline"]["rps"]
    for row in results.values():
        row["ratio"] = row["rps"] / baseline
    return results


def page_info(env):
    """The pages to measure and their SQL query counts, from bench/pages.py
    run in a separate process against the bench database."""
    result = processes.run(
        [PYTHON, "bench/pages.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


# Builds of each page on each database in build_growth(), taken in pairs.
GROWTH_PAIRS = 20
GROWTH_BLOCK = 5


class PageBuilder:
    """A process building pages uncached on one database when asked
    (bench/pages.py --builder)."""

    def __init__(self, env):
        self.process = processes.spawn(
            [PYTHON, "bench/pages.py", "--builder"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def build(self, path, count):
        """The median of `count` builds of `path` in a row, in milliseconds."""
        self.process.stdin.write(f"{path} {count}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench/pages.py --builder stopped while building {path}")
        return json.loads(line)

    def close(self):
        # A builder that failed has stopped reading.
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        processes.finish(self.process)


def build_growth(seed_env, env, pages, pairs=GROWTH_PAIRS, block=GROWTH_BLOCK):
    """How much each page's uncached build grows from the seed content to
    the bigger dataset: one process builds on each database (a copy of the
    seed content kept before the dataset was generated, and the dataset),
    and each build on one is paired with a build of the same page on the
    other straight after, the pair's order alternating. The load of a
    shared machine drifts over seconds as well as minutes; a pair shares
    it. A page's builds are the median of its builds on each database, its
    growth the median of its pairs' ratios, with the quartiles of those
    ratios to show how far they spread."""
    builders = {}
    try:
        for size, size_env in (("seed", seed_env), ("national", env)):
            builders[size] = PageBuilder(size_env)
        measured = {name: {"seed": [], "national": []} for name in pages}
        for pair in range(pairs):
            order = ("seed", "national") if pair % 2 == 0 else ("national", "seed")
            for name, page in pages.items():
                for size in order:
                    measured[name][size].append(builders[size].build(page["path"], block))
    finally:
        for builder in builders.values():
            builder.close()
    growth = {}
    for name, built in measured.items():
        ratios = [n / s for s, n in zip(built["seed"], built["national"], strict=True)]
        quartiles = statistics.quantiles(ratios, n=4)
        growth[name] = {
            "seed_ms": statistics.median(built["seed"]),
            "national_ms": statistics.median(built["national"]),
            "ratio": statistics.median(ratios),
            "quartiles": [round(quartiles[0], 2), round(quartiles[2], 2)],
        }
    return growth


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), response.headers


def page_weight(path):
    """Bytes over the wire with compression, for a first visit (the page
    and every stylesheet, script and image it loads) and for a second page
    (the HTML alone: the assets have hashed names and are cached for a
    year)."""
    accept = {"Accept-Encoding": "gzip, br"}
    html, headers = fetch(BASE + path, accept)
    import gzip

    text = gzip.decompress(html).decode() if headers.get("Content-Encoding") == "gzip" else html.decode()
    assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', text))
    total = len(html)
    for asset in assets:
        body, _ = fetch(BASE + asset, accept)
        total += len(body)
        if asset.endswith(".mjs"):
            # A module's own imports load too.
            source, _ = fetch(BASE + asset)
            for imported in re.findall(r'from\s*"(\.[^"]+)"', source.decode()):
                url = urllib.request.urljoin(BASE + asset, imported)
                body, _ = fetch(url, accept)
                total += len(body)
    return {"first_visit": total, "second_page": len(html), "assets": sorted(assets)}


def survey_load(env, clients, submissions):
    result = processes.run(
        [
            PYTHON,
            "bench/survey.py",
            "--base",
            BASE,
            "--clients",
            str(clients),
            "--submissions",
            str(submissions),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {"error": (result.stdout + result.stderr)[-2000:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_timings(env):
    result = processes.run(
        [PYTHON, "bench/search.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def kb(n):
    return f"{n / 1024:.1f} KB"


def print_table(report):
    lines = []
    add = lines.append
    scale = report.get("scale", 1.0)
    # What the bigger dataset is called in the table: "national", or "10%".
    big = "national" if scale == 1 else f"{scale:.0%}"
    at_scale = "at national scale" if scale == 1 else f"at {scale:.0%} of national scale"
    add(f"Benchmark of {report['date']} on {report['machine']} (PostgreSQL, gunicorn, production settings)")
    add(
        f"Cache: {report['cache']}; wrk {report['connections']} connections, {report['rounds']} rounds of {report['seconds']}s"
        f" ({report.get('mix_seconds', report['seconds'] * 3)}s for the mix), median"
    )
    add("")
    realistic = report.get("realistic")
    if realistic:
        drawn = realistic["drawn"]
        add(
            f"Headline: the realistic mix {at_scale}. Visitors pick among "
            f"{drawn['pages']:,} public pages by popularity (Zipf, s = 1.1) while a clerk saves a record a second"
        )
        add(
            f"   mix        {realistic['rps']:>8.0f} req/s   p50 {realistic['p50_ms']:>6.1f} ms   "
            f"p99 {realistic['p99_ms']:>7.1f} ms   ratio {realistic['ratio']:.2f}   "
            f"page-cache hit rate {realistic['hit_rate']:.1%}   5xx {realistic['errors']}"
        )
        add(
            f"   baseline   {realistic['baseline_rps']:>8.0f} req/s   p50 {realistic['baseline_p50_ms']:>6.1f} ms   "
            f"p99 {realistic['baseline_p99_ms']:>7.1f} ms   (interleaved with the mix's rounds)"
        )
        if "rounds_rps" in realistic:
            rounds = ", ".join(f"{mix}/{base}" for base, mix in realistic["rounds_rps"])
            add(f"   each round, mix/baseline req/s: {rounds}; the ratio is the median of their ratios")
        if "read_once" in realistic:
            read = realistic["read_once"]
            add(
                f"   before the rounds each listed page was read once ({read['seconds']:.0f}s, "
                f"{read['misses']:,} built, {read['pages'] / read['seconds']:.0f} pages/s, 5xx {read['errors']}), "
                "and the rounds went on through the sequence "
                f"({realistic['requests_into_sequence']:,} requests in), replaying none"
            )
            add(
                f"   at {realistic['rps']:.0f} req/s the least-read listed page is read every "
                f"{realistic['rarest_page_every_seconds'] / 60:.0f} min; pages are kept up to "
                f"PAGE_CACHE_SECONDS = {realistic['page_cache_seconds']:,}s unless a change makes them stale"
            )
        if "cold_rps" in realistic:
            add(
                f"   cold cache {realistic['cold_rps']:>8.0f} req/s   (the first {realistic.get('cold_seconds', 60)}s "
                f"from an empty page cache, no clerk){'':>6}ratio {realistic['cold_ratio']:.2f}   "
                f"page-cache hit rate {realistic['cold_hit_rate']:.1%}"
            )
        per_cpu = realistic.get("per_cpu_second")
        if per_cpu:
            add(
                f"   pages served per CPU-second of the server's processes (gunicorn, not PostgreSQL): "
                f"running site {per_cpu['mix']:.0f}, cold cache {per_cpu['cold']:.0f}, baseline {per_cpu['baseline']:.0f}"
            )
        for key, what in (
            ("restart", "a restart on the running page cache"),
            ("deploy", "a deploy of new code (Python and templates), same static files and packages"),
        ):
            stage = report.get(key)
            if stage:
                add(
                    f"   after {key:<8}{stage['rps']:>6.0f} req/s   (the first {stage['seconds']}s after {what}, "
                    f"clerk saving)   ratio {stage['ratio']:.2f}   page-cache hit rate {stage['hit_rate']:.1%}   "
                    f"5xx {stage['errors']}   {stage['per_cpu_second']:.0f} pages/CPU-s"
                )
        if report.get("deploy"):
            digests = report["deploy"]["digests"]
            add(
                f"   the deploy's code: {digests['before']['code']} then {digests['after']['code']}, "
                f"static files {digests['after']['assets']} both"
            )
        add(f"   pages requested by kind: {', '.join(f'{k} {v:,}' for k, v in drawn['by_kind'].items())}")
        add(f"   clerk: {realistic['clerk']}")
        add("")
    if "seed" not in report:  # --realistic-only: the headline alone
        print("\n".join(lines))
        return
    add(f"1. SQL queries per page, and 3. time to build the page uncached (ms, in-process), seed vs {big}")
    growth = report.get("growth")
    if growth:
        add(
            f"   builds: each page on the seed content and at {big} in turn, {GROWTH_PAIRS} pairs of builds, the"
            " median of each; growth: the median of the pairs' ratios"
        )
    seed, national = report["seed"], report.get("national", {})
    # Each page's throughput alone, if measured at either size (make bench-full).
    loaded = bool(seed["load"] or national.get("load"))
    add("2. Throughput through gunicorn with the page cache (req/s), latency (ms), ratio to the baseline")
    if not loaded:
        add(
            "   each page alone: not measured in this run (make bench-full does); the realistic mix is its throughput"
        )
    add("")
    header = f"{'page':<22}{'queries':>8}{'queries':>9}{'build':>8}{'build':>9}{'growth':>7}"
    sizes = f"{'':<22}{'seed':>8}{big:>9}{'seed':>8}{big:>9}{'':>7}"
    if loaded:
        header += f"{'req/s':>8}{'p50':>6}{'p99':>6}{'ratio':>6}{'req/s':>8}{'p50':>6}{'p99':>6}{'ratio':>6}"
        sizes += f"{'-- seed content --':>26}{f'-- {big} --':>26}"
    add(header)
    add(sizes.rstrip())
    for name, page in seed["pages"].items():
        s = seed["load"].get(page["path"])
        n_page = national.get("pages", {}).get(name, {})
        n = national.get("load", {}).get(n_page.get("path"))
        if growth and name in growth:
            built = growth[name]
            seed_ms, national_ms, ratio = built["seed_ms"], built["national_ms"], f"{built['ratio']:.2f}x"
        else:
            seed_ms = page["render_ms"]
            national_ms = n_page.get("render_ms", float("nan"))
            ratio = f"{national_ms / seed_ms:.2f}x" if n_page else "-"
        row = (
            f"{name:<22}{page['queries']:>8}{n_page.get('queries', '-'):>9}{seed_ms:>8.1f}"
            f"{national_ms:>9.1f}{ratio:>7}"
        )
        if loaded:
            row += (
                f"{s['rps']:>8.0f}{s['p50_ms']:>6.1f}{s['p99_ms']:>6.1f}{s['ratio']:>6.2f}"
                if s
                else f"{'(not measured)':>26}"
            )
            if n:
                row += f"{n['rps']:>8.0f}{n['p50_ms']:>6.1f}{n['p99_ms']:>6.1f}{n['ratio']:>6.2f}"
        add(row)
    for label, data in (("baseline", seed), (f"baseline ({big})", national)):
        if data and "/bench/baseline" in data.get("load", {}):
            b = data["load"]["/bench/baseline"]
            add(f"{label:<22}{'':>41}{b['rps']:>8.0f}{b['p50_ms']:>6.1f}{b['p99_ms']:>6.1f}{1:>6.2f}")
    if loaded:
        errors = sum(r["errors"] for d in (seed, national) if d for r in d.get("load", {}).values())
        add(f"Non-2xx/3xx responses during load: {errors}")
    if national.get("size"):
        if seed.get("size"):
            add(f"Seed content: {seed['size']}")
        add(f"Dataset at {big}: {national['size']} (generated in {national['generate_seconds']:.0f}s)")
    if growth:
        quartiles = ", ".join(
            f"{name} {g['quartiles'][0]:.2f}-{g['quartiles'][1]:.2f}" for name, g in growth.items()
        )
        add(f"Growth, the quartiles of each page's pairs' ratios: {quartiles}")
        sized = [
            (name, page["bytes"], national["pages"][name]["bytes"])
            for name, page in seed["pages"].items()
            if "bytes" in page and "bytes" in national.get("pages", {}).get(name, {})
        ]
        if sized:
            shown = ", ".join(f"{name} {s:,} -> {n:,} ({n / s:.1f}x)" for name, s, n in sized)
            add(f"What each page shows, its HTML in bytes on the seed content and at {big}: {shown}")
    add("")
    survey = report.get("survey")
    add("4. Survey: the resident journey's final POST under concurrent load")
    if not survey:
        add("   not run")
    elif "error" in survey:
        add(f"   failed: {survey['error']}")
    else:
        add(
            f"   {survey['submissions']} submissions from {survey['clients']} clients: "
            f"{survey['per_second']:.1f}/s; the baseline view, fetched the same way, "
            f"{survey['baseline_per_second']:.0f}/s: ratio {survey['ratio']:.2f}; "
            f"responses stored {survey['stored']} (expected {survey['expected']}), "
            f"answers {survey['answers']} (expected {survey['expected_answers']}): "
            + ("none lost or duplicated" if survey["ok"] else "MISMATCH")
        )
    add("")
    add("Search (in-process, a fixed set of ~20 queries, several rounds): goal p95 < 50 ms at national scale")
    for label, key in (("seed content", "search_seed"), (f"dataset at {big}", "search_national")):
        if key in report:
            timing = report[key]
            add(f"   {label:<24}median {timing['median_ms']:>6.1f} ms   p95 {timing['p95_ms']:>6.1f} ms")
    if "index_seconds" in report:
        add(f"   {big} index rebuilt by rebuild_search_index in {report['index_seconds']:.0f}s")
    add("")
    add("5. Page weight over the wire (compressed): goal < 60 KB first visit, < 15 KB second page")
    for name, weight in report["weight"].items():
        add(
            f"   {name:<24}first visit {kb(weight['first_visit']):>9}   second page {kb(weight['second_page']):>8}"
        )
    if "wall_seconds" in report:
        add("")
        add(f"Wall time from the fresh database to this table: {report['wall_seconds'] / 60:.1f} min")
    print("\n".join(lines))


# What each target measures: `make bench` a tenth of the national dataset
# with shorter stages (about 8 minutes on a 2-core machine), `make
# bench-full` the national dataset. Any option given overrides its profile.
PROFILES = {
    "quick": {
        "scale": 0.1,
        "pages": 4000,
        "requests": 100000,
        "rounds": 3,
        "seconds": 2,
        "mix_seconds": 6,
        "cold_seconds": 30,
        "survey": 200,
        # No throughput page by page, at either size: one address read over
        # and over measures the page cache serving it, which the realistic
        # mix measures with every other (and the growth shows in the build
        # times, measured at both sizes either way). It took a minute and a
        # half of the eight.
        "page_load": False,
        "seed_load": False,
    },
    "full": {
        "scale": 1.0,
        "pages": 40000,
        "requests": 400000,
        "rounds": 3,
        "seconds": 3,
        "mix_seconds": 9,
        "cold_seconds": 60,
        "survey": 400,
        "page_load": True,
        "seed_load": True,
    },
}


def options():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--full", action="store_true", help="the national dataset and longer stages (make bench-full)"
    )
    parser.add_argument("--rounds", type=int, help="rounds of each wrk measurement")
    parser.add_argument("--seconds", type=int, help="seconds of each page's wrk round")
    parser.add_argument("--mix-seconds", type=int, help="seconds of each round of the realistic mix")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--scale", type=float, help="fraction of the national dataset to generate")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument(
        "--realistic-only",
        action="store_true",
        help="measure only the realistic mix, on the database as it is (the national dataset already generated)",
    )
    parser.add_argument(
        "--cold-seconds", type=int, help="how long the realistic mix is measured from a cold page cache"
    )
    parser.add_argument("--pages", type=int, help="how many public pages the realistic mix picks among")
    parser.add_argument("--requests", type=int, help="how many requests the realistic mix draws")
    parser.add_argument("--survey", type=int, help="how many survey submissions under load")
    parser.add_argument(
        "--page-load",
        action=argparse.BooleanOptionalAction,
        help="measure each page's throughput alone at the dataset's size (the page cache serving one address)",
    )
    parser.add_argument(
        "--seed-load",
        action=argparse.BooleanOptionalAction,
        help="measure each page's throughput on the seed content too",
    )
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="start the server on the bench's port, check it is the one started, and stop it "
        "(after --hold seconds): touches no database",
    )
    parser.add_argument("--hold", type=float, default=0, help="with --check-only: seconds to keep it up")
    args = parser.parse_args()
    for name, value in PROFILES["full" if args.full else "quick"].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main():
    args = options()
    processes.stop_on_signals()
    started = time.monotonic()
    try:
        # Before anything else (the database recreated under a server still
        # serving from it): a server already on the port would be measured
        # in place of this run's.
        if processes.port_answers(PORT):
            raise PortInUse(PORT)
        if not shutil.which("wrk"):
            sys.exit("wrk is not installed: apt-get install wrk")
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        if args.check_only:
            check_only(args.hold)
        else:
            measure(args)
    except processes.Interrupted as interrupted:
        processes.ignore_signals()  # a second Ctrl-C must not cut the cleanup short
        log(f"stopped by {interrupted}: stopping the processes it started")
        processes.stop_all()
        sys.exit(128 + interrupted.signum)
    finally:
        processes.stop_all()
    log(f"done in {time.monotonic() - started:.0f}s")


def check_only(hold):
    with Server(ENV) as server:
        print(f"bench: server started on port {PORT} (gunicorn pid {server.process.pid})", flush=True)
        time.sleep(hold)


def measure(args):
    env = dict(ENV)
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()})",
        "cache": "Redis" if env.get("REDIS_URL") else "database",
        "rounds": args.rounds,
        "seconds": args.seconds,
        "mix_seconds": args.mix_seconds,
        "connections": args.connections,
        "scale": args.scale,
    }

    def realistic(server):
        return realistic_load(
            server,
            env,
            args.rounds,
            args.mix_seconds,
            args.connections,
            args.cold_seconds,
            args.pages,
            args.requests,
        )

    if args.realistic_only:
        manage("collectstatic", "--no-input", "-v0")
        # The cold stage starts from an empty page cache, as after a fresh database.
        manage("shell", "-c", "from django.core.cache import caches; caches['pages'].clear()")
        with Server(env) as server:
            report["realistic"] = realistic(server)
        after_a_start(report, env, args)
        print(json.dumps({key: report[key] for key in ("realistic", "restart", "deploy")}, indent=2))
        print_table(report)
        return

    wall = time.monotonic()
    log(f"fresh database at {DATABASE_URL}")
    services.recreate_database(DATABASE_URL)
    manage("migrate", "--no-input", "-v0")
    manage("createcachetable")
    manage("load_initial_content")
    manage("collectstatic", "--no-input", "-v0")

    report["search_seed"] = search_timings(env)
    pages = page_info(env)
    paths = [page["path"] for page in pages.values()]
    with Server(env):
        report["seed"] = {"pages": pages, "load": {}, "size": data_size(env)}
        if args.seed_load:
            log("seed content: load")
            report["seed"]["load"] = load_pages(paths, args.rounds, args.seconds, args.connections)
        report["weight"] = {name: page_weight(page["path"]) for name, page in pages.items()}
        log("survey under load")
        report["survey"] = survey_load(env, clients=20, submissions=args.survey)

    if not args.skip_national:
        # The seed content kept as it is, for build_growth() to measure the
        # pages on beside the dataset, in turn.
        seed_env = {**env, "DATABASE_URL": f"{DATABASE_URL}_seed"}
        services.copy_database(DATABASE_URL, seed_env["DATABASE_URL"])
        log(f"generating the national-scale dataset at scale {args.scale:g}")
        started = time.monotonic()
        processes.run(
            [PYTHON, "bench/national_dataset.py", f"--scale={args.scale}"], cwd=ROOT, env=ENV, check=True
        )
        generate_seconds = time.monotonic() - started
        # bulk_create sends no signals: index the new content for search,
        # timed, since a restore from backup needs the same.
        log("indexing the national dataset for search")
        started = time.monotonic()
        manage("rebuild_search_index")
        report["index_seconds"] = time.monotonic() - started
        # A site's tables are vacuumed by autovacuum in time (and a restore
        # by its operator): measured straight after the bulk load, the pages
        # would race autovacuum's first pass over the new rows, and the
        # checkpoint that writes them out, which no running site does.
        log("vacuuming the new rows, as autovacuum would, and writing them out")
        manage("shell", "-c", SETTLE)
        manage("shell", "-c", SETTLE, env=seed_env)
        log("search timings")
        report["search_national"] = search_timings(env)
        pages = page_info(env)
        paths = [page["path"] for page in pages.values()]
        log(f"page builds, the seed content and {args.scale:.0%} in turn, {GROWTH_PAIRS} pairs a page")
        report["growth"] = build_growth(seed_env, env, pages)
        services.drop_database(seed_env["DATABASE_URL"])
        report["national"] = {
            "pages": pages,
            "load": {},
            "generate_seconds": generate_seconds,
            "size": data_size(env),
        }
        if args.page_load:
            with Server(env):
                log("national dataset: load")
                report["national"]["load"] = load_pages(paths, args.rounds, args.seconds, args.connections)

        with Server(env) as server:
            log("national dataset: realistic mix")
            report["realistic"] = realistic(server)
        after_a_start(report, env, args)

    report["wall_seconds"] = time.monotonic() - wall
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(report, indent=2))
    print_table(report)


def after_a_start(report, env, args):
    """The restart, then the deploy of new code, each on the page
    cache the realistic mix left, going on through its sequence."""
    with Server(env) as server:
        log(f"national dataset: the first {args.cold_seconds}s after a restart")
        report["restart"] = after_restart(
            server,
            env,
            report["realistic"],
            args.cold_seconds,
            args.connections,
            report["realistic"]["requests_into_sequence"],
        )
    with Release(env) as release, Server(release.env, root=release.root) as server:
        log(f"national dataset: the first {args.cold_seconds}s after a deploy of new code")
        report["deploy"] = after_restart(
            server,
            env,
            report["realistic"],
            args.cold_seconds,
            args.connections,
            report["restart"]["requests_into_sequence"],
        )
        report["deploy"]["digests"] = release.digests_seen


def data_size(env):
    return json.loads(
        processes.run(
            [PYTHON, "bench/pages.py", "--size"], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout
    )


if __name__ == "__main__":
    main()
