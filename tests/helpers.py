"""Helpers the tests of several apps share: where the repository and the
test data are, a page's visible text, the POST data of the meeting screen
in the admin, a mail server that is down, and requests sent at the same
moment."""

import fcntl
import re
import tempfile
import threading
from pathlib import Path

from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
# Test data: saved pages, seeds, schemas and archives (tests/fixtures/).
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def text_of(response):
    """The page's visible text with whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    # Tags between words and punctuation leave a space the visitor never sees.
    return re.sub(r"\s+([,.:;)])", r"\1", " ".join(text.split()))


ADD_URL = "/admin/meetings/meeting/add/"
INLINES = ["attendances", "items", "declarations", "documents"]


def meeting_form(partnership, **overrides):
    """The POST data of the meeting screen: the meeting, two items, two
    attendees and one document row (empty unless a file is given)."""
    data = {
        "partnership": partnership.pk,
        "date": "12/03/2020",
        "start_time": "10:00",
        "venue": "Town Hall, Bootle",
        "status": "held",
        "webcast_url": "",
        "notes": "",
        "agenda_published_at_0": "",
        "agenda_published_at_1": "",
        "minutes_status": "draft",
        "confirmed_by": "",
    }
    for prefix in INLINES:
        data.update(
            {
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data["attendances-TOTAL_FORMS"] = "2"
    data.update(
        {
            "attendances-0-order": "1",
            "attendances-0-name": "Councillor Hardy",
            "attendances-0-role": "present",
            "attendances-0-is_chair": "on",
            "attendances-1-order": "2",
            "attendances-1-name": "Tony Harland",
            "attendances-1-role": "apologies",
        }
    )
    data["items-TOTAL_FORMS"] = "2"
    data.update(
        {
            "items-0-minute_number": "40",
            "items-0-order": "1",
            "items-0-title": "Apologies for Absence",
            "items-0-minutes": "Apologies for absence were submitted from Tony Harland.",
            "items-1-minute_number": "41",
            "items-1-order": "2",
            "items-1-title": "Female Out of Court Disposal Project",
            "items-1-minutes": "Chris Millward gave a presentation.",
        }
    )
    data["declarations-TOTAL_FORMS"] = "0"
    data["documents-TOTAL_FORMS"] = "1"
    data.update({"documents-0-order": "0", "documents-0-title": "", "documents-0-item": ""})
    data.update(overrides)
    return data


class BrokenBackend:
    """An email backend whose mail server refuses every connection
    (settings.EMAIL_BACKEND = "tests.helpers.BrokenBackend")."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def save_record(record):
    """Save a record as a test's set-up does, as the factories do (the
    paths a clerk takes write through publishing.operations)."""
    record.save()


def at_once(count, work):
    """work(index) in `count` threads released together; their results.

    One such burst at a time across the test run's worker processes (a lock
    on a file): each thread holds a database connection, and two bursts of
    60 at once on two workers would pass PostgreSQL's 100 connections."""
    with open(Path(tempfile.gettempdir()) / "smp-tests-at-once.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _threads_at_once(count, work)


def _threads_at_once(count, work):
    results, errors = [None] * count, []
    barrier = threading.Barrier(count)

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # reported below, so that a failure is not lost in a thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
