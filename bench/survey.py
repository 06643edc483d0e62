"""
The survey's final POST under concurrent load, against gunicorn with
production settings on PostgreSQL, compared with a trivial view measured the
same way in the same run, and checked by counting rows: no response lost and
none saved twice.

Run by `make bench` (bench/run.py), against the server it started:

  python bench/survey.py --base URL       # prints one line of JSON

Each simulated resident has their own cookie jar (session and CSRF cookie).
Their journey up to "check your answers" is prepared first and not timed;
then every client thread sends its residents' final POSTs as fast as the
server answers, and the same threads fetch the baseline view (/bench/baseline)
the same number of times. Figures are submissions (or requests) per second of
wall-clock time. Nothing here is part of `make test`.
"""

import argparse
import http.cookiejar
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLUG = "police-precept"
ANSWERS_PER_RESPONSE = 3  # willing, district, comment (the equality questions are skipped)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Resident:
    """One browser: its own cookies, so its own session."""

    def __init__(self, base, number):
        self.base = base
        self.number = number
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        # Each resident has their own address, as they would behind the
        # production proxy (CONSULTATION_CLIENT_IP_HEADER): the per-client
        # rate limit then applies to each as in real life.
        request.add_header(
            "X-Forwarded-For",
            f"10.{self.number // 65536 % 256}.{self.number // 256 % 256}.{self.number % 256}",
        )
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if data is not None and token:
            request.add_header("X-CSRFToken", token)
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:  # a 302 is "an error" to urllib without redirects
            error.read()
            return error.code, error.headers.get("Location", "")

    def prepare(self, questions):
        """Answer every question up to "check your answers"."""
        path = f"/have-your-say/{SLUG}/questions/"
        status, _ = self.request(path + "1/")
        assert status == 200, f"question page: {status}"
        for number, (qid, value) in enumerate(questions(self.number), start=1):
            status, location = self.request(f"{path}{number}/", {f"q{qid}-answer": value})
            assert status == 302, f"question {number}: {status}"
        return location

    def send(self):
        status, location = self.request(f"/have-your-say/{SLUG}/send/", {"skip": "1", "website": ""})
        return status == 302 and "/sent/?r=" in location


def in_threads(count, work):
    errors = []

    def target(index):
        try:
            work(index)
        except Exception as error:  # reported after the threads end
            errors.append(repr(error))

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
    import django

    django.setup()


def counts():
    from consultation.models import Answer, Response

    responses = Response.objects.filter(consultation__slug=SLUG)
    return (
        responses.count(),
        Answer.objects.filter(response__consultation__slug=SLUG).count(),
        Answer.objects.filter(response__consultation__slug=SLUG, question__code="comment")
        .values("text")
        .distinct()
        .count(),
    )


def question_plan():
    """The main questions' ids, and each resident's answers (a unique comment,
    so that a lost or doubled response shows in the count)."""
    from consultation.models import Question

    ids = dict(Question.objects.filter(consultation__slug=SLUG).values_list("code", "id"))
    districts = ["knowsley", "liverpool", "sefton", "st-helens", "wirral"]

    def answers(number):
        return [
            (ids["willing"], ["yes", "no", "dont-know"][number % 3]),
            (ids["district"], districts[number % 5]),
            (ids["comment"], f"bench resident {number} at {time.time_ns()}"),
        ]

    return answers


def run(base, clients, submissions, rounds=3):
    django_setup()
    plan = question_plan()
    before = counts()
    per_client = submissions // clients
    submissions = per_client * clients
    residents = [Resident(base, n) for n in range(submissions)]

    def prepare(index):
        for resident in residents[index::clients]:
            resident.prepare(plan)

    prepare_seconds, errors = in_threads(clients, prepare)
    if errors:
        raise SystemExit(f"preparing the journeys failed: {errors[:3]}")
    refused = []

    def send(index):
        for resident in residents[index::clients]:
            if not resident.send():
                refused.append(resident.number)

    send_seconds, errors = in_threads(clients, send)
    if errors:
        raise SystemExit(f"sending failed: {errors[:3]}")

    # The baseline: the same threads, the same number of requests, a view
    # that does nothing, a few rounds (median) because the machine is shared.
    baseline_rates = []
    for _ in range(rounds):
        probes = [Resident(base, n) for n in range(clients)]

        def fetch(index, probes=probes):
            for _ in range(per_client):
                status, _location = probes[index].request("/bench/baseline")
                assert status == 200, f"baseline: {status}"

        seconds, errors = in_threads(clients, fetch)
        if errors:
            raise SystemExit(f"baseline failed (is BENCH_BASELINE on?): {errors[:3]}")
        baseline_rates.append(submissions / seconds)

    stored, answers, comments = (after - was for after, was in zip(counts(), before, strict=True))
    per_second = submissions / send_seconds
    baseline = statistics.median(baseline_rates)
    hint = {}
    if refused:
        hint["hint"] = (
            "The server refused some submissions (rate limit?): start it with "
            "CONSULTATION_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR so that each simulated resident "
            "counts as their own client, as behind the production proxy."
        )
    return {
        **hint,
        "clients": clients,
        "submissions": submissions,
        "prepare_seconds": round(prepare_seconds, 2),
        "send_seconds": round(send_seconds, 2),
        "per_second": round(per_second, 1),
        "baseline_per_second": round(baseline, 1),
        "ratio": round(per_second / baseline, 3),
        "refused": len(refused),
        "stored": stored,
        "expected": submissions,
        "answers": answers,
        "expected_answers": submissions * ANSWERS_PER_RESPONSE,
        "distinct_comments": comments,
        "ok": stored == submissions and answers == submissions * ANSWERS_PER_RESPONSE and comments == stored,
    }


# Standalone (`make bench`) -----------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smp_bench")
PORT = int(os.environ.get("BENCH_PORT", "8766"))


def standalone_env():
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_BASELINE": "true",
        "DJANGO_SETTINGS_MODULE": "smp_site.settings",
        "LOG_LEVEL": "WARNING",
        # As behind the production proxy: each simulated resident's address
        # comes in X-Forwarded-For, so the rate limit (left at its default)
        # counts each resident separately.
        "CONSULTATION_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }
    env.pop("DEBUG", None)
    return env


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the running server (bench/run.py starts one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=400)
    args = parser.parse_args()
    result = run(args.base.rstrip("/"), args.clients, args.submissions)
    print(json.dumps(result))
    if not result["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
