"""
The fuzz run: every public URL and form of the site, served as production
serves it (gunicorn, production settings, PostgreSQL, the initial content
loaded), driven with generated input by hypothesis, and no answer may be a
5xx (or no answer at all), nor may the server log hold a traceback (a
client's mistake answered with a 4xx is one warning line).

What it sends: every address the sitemaps list and the pages they do not
(search, feeds, calendars, alerts, the API, the consultation journey), with
odd query strings; search terms made of real words taken from the site's
own pages; addresses built from the site's URL patterns with bad slugs, bad
dates, huge numbers, long and Unicode paths and broken percent-escapes; and
every form on the public pages (and the staff sign-in and password reset
forms) posted with junk, with and without its CSRF token.

Not part of `make test` (the `fuzz` marker is deselected there): `make fuzz`
runs it, and CI runs it after the PostgreSQL suite. It needs PostgreSQL:
DATABASE_URL names a server, and the run uses its own database beside it
(`<name>_fuzz`, made afresh and dropped at the end). About two minutes;
FUZZ_EXAMPLES scales the number of generated cases of each kind.
"""

import collections
import html.parser
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import services

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Addresses the sitemaps do not list.
UNLISTED = [
    "/",
    "/healthz",
    "/robots.txt",
    "/sitemap.xml",
    "/search/",
    "/contact/",
    "/alerts/",
    "/alerts/check-your-email/",
    "/meetings/calendar.ics",
    "/meetings/minutes.atom",
    "/meetings/new.atom",
    "/have-your-say/",
    "/have-your-say/open.atom",
    "/api/",
    "/api/organizations/",
    "/api/people/",
    "/api/posts/",
    "/api/memberships/",
    "/api/events/",
    "/admin/login/",
    "/admin/password-reset/",
]
# Where the public (and staff signing in) meet a form.
FORM_PAGES = ["/alerts/", "/admin/login/", "/admin/password-reset/"]
PARAMETERS = ["q", "page", "year", "partnership", "type", "p", "format", "change", "id", "next", "search"]
ODD_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "%",
    "%ZZ",
    "%00",
    "%C0%AF",
    "\x00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "\U0001f600" * 3,
    "a" * 5000,
    "2020-02-30",
    "0000-00-00",
    "9999-12-31",
    "2019/20",
]
BAD_DATES = ["2020-02-30", "2019-13-01", "0000-01-01", "9999-12-31", "2020-1-1", "20200101", "2020-02-29x"]
BAD_SLUGS = ["x", "-", "a" * 300, "%ZZ", "caf\u00e9", "\u0441\u0435\u0444\u0442\u043e\u043d", "..", "smp%00"]

junk = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=80))


def quote(text):
    """As a client would put `text` in a request line: non-ASCII and
    controls escaped, '%' kept as typed (so broken escapes reach the site)."""
    return urllib.parse.quote(text, safe="/%?=&;:@!$'()*+,~-._")


class Site:
    """The running site, and what was asked of it."""

    def __init__(self, port):
        self.port = port
        self.statuses = collections.Counter()
        self.failures = []

    def request(self, method, target, body=None, headers=None):
        """One request; its status (0 if no answer came), counted."""
        headers = {"Host": "127.0.0.1", **(headers or {})}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            cookies = response.headers.get_all("Set-Cookie") or []
        except (OSError, http.client.HTTPException) as error:
            content, status, cookies = repr(error).encode(), 0, []
        finally:
            connection.close()
        self.statuses[status] += 1
        if status >= 500 or status == 0:
            self.failures.append((method, target[:300], status))
        return status, content, cookies

    def get(self, target, cookie=""):
        return self.request("GET", target, headers={"Cookie": cookie} if cookie else None)


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: (action, {field name: value})."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append((attributes.get("action") or "", {}))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attributes.get("name"):
            self.forms[-1][1].setdefault(attributes["name"], attributes.get("value") or "")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def site(pytestconfig, tmp_path_factory):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        pytest.fail("The fuzz run needs PostgreSQL: set DATABASE_URL=postgres://... (`make fuzz` does).")
    parts = urllib.parse.urlsplit(base_url)
    database_url = urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_fuzz"))
    port = services.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smp_site.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "fuzz-run-only-" + "s3cr3t" * 8,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "LOG_LEVEL": "WARNING",
        # So that the concurrent posts below come from an address of their
        # own, not the one whose limits the junk posts have used up.
        "CONSULTATION_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    services.recreate_database(database_url)
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")
    manage(env, "load_initial_content")
    manage(env, "rebuild_search_index")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    log = open(log_path, "w+b")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [GUNICORN, "smp_site.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    site = Site(port)
    site.log = log_path
    site.database_url = database_url
    deadline = time.monotonic() + 60
    while site.get("/healthz")[0] != 200:
        if time.monotonic() > deadline or server.poll() is not None:
            log.seek(0)
            pytest.fail("gunicorn did not start:\n" + log.read().decode(errors="replace")[-3000:])
        time.sleep(0.5)
    site.statuses.clear()
    site.failures.clear()
    site.pages = public_pages(site)
    site.words = seed_words(site)
    site.slugs = sorted(
        {
            m
            for page in site.pages
            for m in re.findall(r"^/(?:partnerships|people|organisations)/([^/]+)/", page)
        }
    )
    site.dates = sorted({m for page in site.pages for m in re.findall(r"/(\d{4}-\d{2}-\d{2})/", page)})
    site.consultations = sorted(
        {m for page in site.pages for m in re.findall(r"^/have-your-say/([^/.]+)/", page)}
    )
    setup_seconds = time.monotonic() - started
    yield site
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.seek(0)
    tracebacks = collections.Counter(kind for kind, _ in tracebacks_in(log.read().decode(errors="replace")))
    log.close()
    services.drop_database(database_url)
    total = sum(site.statuses.values())
    fives = sum(count for status, count in site.statuses.items() if status >= 500 or status == 0)
    summary = ", ".join(f"{status}: {count}" for status, count in sorted(site.statuses.items()))
    kinds = ", ".join(f"{name}: {count}" for name, count in tracebacks.most_common())
    kinds = f" ({kinds})" if kinds else ""
    # Printed past pytest's output capture, so that every run shows it.
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(
            f"Fuzz run: {total} requests over {len(site.pages)} public pages and their forms, "
            f"{fives} 5xx or unanswered, {tracebacks.total()} tracebacks in the server log{kinds}; "
            f"setup {setup_seconds:.0f} s, run {time.monotonic() - started - setup_seconds:.0f} s. "
            f"Statuses: {summary}."
        )


# A traceback in the server log, as Python prints it, to the line that names
# the exception (the first after it that is not indented).
TRACEBACK = re.compile(
    r"^Traceback \(most recent call last\):\n(?:[ \t].*\n)*(?P<type>[^\s:]+).*$", re.MULTILINE
)


def tracebacks_in(log):
    """The tracebacks of the server log, those in the site's JSON lines (the
    `exc_info` field) and any gunicorn printed: (exception type, traceback)."""
    text = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            text.append(str(record.get("exc_info") or ""))
        else:
            text.append(line)
    return [(match["type"].rsplit(".", 1)[-1], match[0]) for match in TRACEBACK.finditer("\n".join(text))]


def public_pages(site):
    """Every address the sitemaps list, and the public ones they do not."""
    pages = set(UNLISTED)
    _, index, _ = site.get("/sitemap.xml")
    for sitemap in re.findall(r"<loc>([^<]+)</loc>", index.decode()):
        _, body, _ = site.get(
            urllib.parse.urlsplit(sitemap).path + "?" + urllib.parse.urlsplit(sitemap).query
        )
        for address in re.findall(r"<loc>([^<]+)</loc>", body.decode()):
            pages.add(urllib.parse.urlsplit(address).path)
    for page in list(pages):
        if page.startswith("/partnerships/") and page.count("/") == 3:
            pages.update(
                {f"{page}meetings/", f"{page}minutes.atom", f"{page}meetings.atom", f"{page}resolutions.csv"}
            )
        if re.match(r"^/meetings/[^/]+/\d{4}-\d{2}-\d{2}/$", page):
            pages.add(f"{page}calendar.ics")
        if re.match(r"^/have-your-say/[^/]+/$", page):
            pages.update(
                {f"{page}questions/1/", f"{page}privacy/", f"{page}results/", f"{page}check-your-answers/"}
            )
    assert len(pages) > 40, sorted(pages)
    return sorted(pages)


def seed_words(site):
    """Words of the initial content, as the site shows them."""
    words = set()
    for page in site.pages[:60]:
        _, body, _ = site.get(page)
        text = re.sub(r"<[^>]+>", " ", body.decode(errors="replace"))
        words.update(word.lower() for word in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
    assert {"crime", "partnership", "sefton", "safer", "meeting"} <= words
    return sorted(words)


def query_strings(site):
    pairs = st.lists(
        st.tuples(
            st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10)),
            st.one_of(junk, st.sampled_from(site.words)),
        ),
        max_size=4,
    )
    encoded = pairs.map(lambda items: urllib.parse.urlencode(items))
    raw = st.sampled_from(
        ["a=%ZZ", "&&&", "=", "q", "q=%00", "page=1&page=2", "q=" + "%C3" * 20, "year=-1&type=x"]
    )
    return st.one_of(encoded, raw)


def assert_no_server_errors(site, since):
    """No 5xx or missing answer among the requests made since `since`."""
    failures = site.failures[since:]
    assert not failures, f"{len(failures)} answers were 5xx or missing: {failures[:20]}"


def test_every_public_page_with_odd_query_strings(site):
    since = len(site.failures)

    @HYPOTHESIS
    @given(data=st.data())
    def run(data):
        page = data.draw(st.sampled_from(site.pages))
        query = data.draw(query_strings(site))
        method = data.draw(st.sampled_from(["GET", "GET", "HEAD", "POST", "OPTIONS"]))
        site.request(method, quote(page) + ("?" + query if query else ""))

    for page in site.pages:
        site.get(quote(page))
    run()
    assert_no_server_errors(site, since)


def test_search_with_words_of_the_content_and_junk_filters(site):
    since = len(site.failures)

    @HYPOTHESIS
    @given(data=st.data())
    def run(data):
        words = data.draw(st.lists(st.sampled_from(site.words), min_size=1, max_size=4))
        query = {"q": " ".join(words)}
        if data.draw(st.booleans()):
            query["partnership"] = data.draw(st.one_of(st.sampled_from(site.slugs or ["x"]), junk))
        if data.draw(st.booleans()):
            query["year"] = data.draw(st.one_of(st.integers(-10_000, 10_000).map(str), junk))
        if data.draw(st.booleans()):
            query["type"] = data.draw(
                st.one_of(st.sampled_from(["minute", "meeting", "document", "partnership"]), junk)
            )
        if data.draw(st.booleans()):
            query["page"] = data.draw(st.one_of(st.integers(-5, 10_000).map(str), junk))
        site.get("/search/?" + urllib.parse.urlencode(query))
        site.get("/alerts/?" + urllib.parse.urlencode({"q": query["q"]}))

    for word in ["crime", "partnership", "sefton", "safer", "meeting", "community safety", "knife"]:
        site.get("/search/?" + urllib.parse.urlencode({"q": word}))
    run()
    assert_no_server_errors(site, since)


def bad_addresses(site):
    slug = st.one_of(
        st.sampled_from(site.slugs), st.sampled_from(BAD_SLUGS), st.text(min_size=1, max_size=40)
    )
    day = st.one_of(st.sampled_from(site.dates), st.sampled_from(BAD_DATES), st.dates().map(str))
    number = st.one_of(st.integers(-1, 100), st.integers(0, 10**30))
    word = st.text(min_size=1, max_size=60)
    return st.one_of(
        st.builds("/meetings/{}/{}/".format, slug, day),
        st.builds("/meetings/{}/{}/minute-{}/".format, slug, day, number),
        st.builds("/meetings/{}/{}/calendar.ics".format, slug, day),
        st.builds("/partnerships/{}/".format, slug),
        st.builds("/partnerships/{}/meetings/".format, slug),
        st.builds("/partnerships/{}/minutes.atom".format, slug),
        st.builds("/partnerships/{}/attendance.csv".format, slug),
        st.builds("/people/{}/".format, slug),
        st.builds("/organisations/{}/".format, slug),
        st.builds("/documents/{}/{}".format, number, word),
        st.builds(
            "/api/{}/{}/".format,
            st.sampled_from(["organizations", "people", "posts", "memberships", "events", "x"]),
            word,
        ),
        st.builds(
            "/have-your-say/{}/questions/{}/".format,
            st.one_of(st.sampled_from(site.consultations or ["x"]), slug),
            number,
        ),
        st.builds(
            "/have-your-say/{}/{}/".format,
            slug,
            st.sampled_from(["results", "privacy", "sent", "equality", "check-your-answers"]),
        ),
        st.builds("/alerts/confirm/{}/".format, word),
        st.builds("/alerts/unsubscribe/{}/".format, word),
        st.builds("/sitemap-{}.xml?p={}".format, word, st.one_of(number, junk)),
        st.integers(100, 3000).map(lambda n: "/" + "a/" * (n // 2)),
        st.text(min_size=1, max_size=3000).map(lambda text: "/" + text),
    )


def test_addresses_with_bad_slugs_dates_numbers_and_long_unicode_paths(site):
    since = len(site.failures)

    @HYPOTHESIS
    @given(address=bad_addresses(site))
    def run(address):
        site.get(quote(address))

    run()
    assert_no_server_errors(site, since)


def form_of(site, page):
    """A page's first POST form, with the session and CSRF cookies it set:
    (cookie header, action, fields)."""
    status, body, cookies = site.get(page)
    jar = "; ".join(cookie.split(";", 1)[0] for cookie in cookies)
    parser = Forms()
    parser.feed(body.decode(errors="replace"))
    if status != 200 or not parser.forms:
        return None
    action, fields = parser.forms[0]
    return jar, urllib.parse.urljoin(page, action) if action else page, fields


def test_every_form_posted_with_junk(site):
    since = len(site.failures)
    form_pages = list(FORM_PAGES)
    for slug in site.consultations:
        form_pages += [f"/have-your-say/{slug}/questions/{number}/" for number in range(1, 6)]
    forms = [form for form in (form_of(site, page) for page in form_pages) if form]
    assert len(forms) >= 3, forms

    @HYPOTHESIS
    @given(data=st.data())
    def run(data):
        jar, action, fields = data.draw(st.sampled_from(forms))
        values = []
        for name, value in fields.items():
            if name == "csrfmiddlewaretoken" and data.draw(st.booleans()):
                values.append((name, value))  # the real token, most of the time
            elif data.draw(st.integers(0, 4)):
                values.append((name, data.draw(st.one_of(junk, st.sampled_from(site.words), st.just(value)))))
        for _ in range(data.draw(st.integers(0, 2))):
            values.append((data.draw(st.text(max_size=20)), data.draw(junk)))
        body = urllib.parse.urlencode(values).encode()
        content_type = data.draw(
            st.sampled_from(
                ["application/x-www-form-urlencoded"] * 4 + ["multipart/form-data", "text/plain", ""]
            )
        )
        headers = {
            "Cookie": jar,
            "Content-Type": content_type,
            "Referer": f"http://127.0.0.1:{site.port}{action}",
        }
        site.request("POST", quote(action), body=body, headers=headers)

    run()
    assert_no_server_errors(site, since)


DUPLICATES = 20


def at_once(count, send):
    """send() from `count` threads released together: their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        barrier.wait()
        results[index] = send()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def count_rows(site, sql, params):
    import psycopg2

    parts = urllib.parse.urlsplit(site.database_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def post_at_once(site, page, data, address):
    """The form of `page` filled with `data`, posted DUPLICATES times at the
    same moment with the same session, token and address (a double click, a
    client retrying, a script): the statuses."""
    jar, action, fields = form_of(site, page)
    body = urllib.parse.urlencode({**fields, **data}).encode()
    headers = {
        "Cookie": jar,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{site.port}{action}",
        "X-Forwarded-For": address,
    }
    return at_once(DUPLICATES, lambda: site.request("POST", quote(action), body=body, headers=headers)[0])


def test_identical_form_posts_at_the_same_moment(site):
    """Every public form that writes a row, posted many times at once: no
    5xx, and what one post makes is made once."""
    since = len(site.failures)
    email = f"twin-{time.time_ns()}@example.org"
    statuses = post_at_once(
        site, "/alerts/", {"kind": "meeting", "email": email, "partnership": "", "query": ""}, "198.51.100.61"
    )
    assert statuses == [302] * DUPLICATES
    assert count_rows(site, "SELECT count(*) FROM follow_subscription WHERE email = %s", [email]) == 1
    assert count_rows(site, 'SELECT count(*) FROM follow_outgoingemail WHERE "to" = %s', [email]) == 1
    # And the address is not broken for the next sign-up.
    assert post_at_once(site, "/alerts/", {"kind": "meeting", "email": email}, "198.51.100.62")[0] == 302

    statuses = post_at_once(site, "/admin/password-reset/", {"email": email}, "198.51.100.63")
    assert set(statuses) == {302}
    for username in ["twin-clerk", "x" * 300]:
        statuses = post_at_once(
            site, "/admin/login/", {"username": username, "password": "wrong-password"}, "198.51.100.64"
        )
        assert set(statuses) <= {200, 429}, statuses
    for slug in site.consultations:
        statuses = post_at_once(site, f"/have-your-say/{slug}/questions/1/", {}, "198.51.100.65")
        assert set(statuses) <= {200, 302, 400}, statuses
    assert_no_server_errors(site, since)


def test_the_server_log_holds_no_traceback(site):
    """Last: a client's mistake the site answers with a 4xx is one warning
    line (smp_site.log_filters), so a traceback in the log is a bug the
    input above reached, even where the answer was no 5xx."""
    tracebacks = tracebacks_in(site.log.read_text(errors="replace"))
    assert not tracebacks, f"{len(tracebacks)} tracebacks in the server log, the first:\n{tracebacks[0][1]}"
