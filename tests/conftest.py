import io

import pytest
from django.core.management import call_command
from django.db import connection

from . import seed_snapshot


def load_initial_content():
    call_command("load_initial_content", stdout=io.StringIO())


@pytest.fixture
def initial_content(db):
    """The site as `make run` first serves it: everything from the seeds
    (loaded once per session, then copied: tests/seed_snapshot.py)."""
    # Outside a test's transaction (a live-server test) the command's
    # bundles commit and their on-commit work runs as they do.
    kind = "in a transaction" if connection.in_atomic_block else "committed as it goes"
    seed_snapshot.load(kind, load_initial_content)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def transition(django_capture_on_commit_callbacks):
    """Take a meeting through a transition, as the admin does, with its
    effects (which run once the transaction commits) applied at once. As
    news, whatever the meeting's date (the factories' meetings are of
    2019): a test of archive entry says `archive=True`."""
    from publishing import operations

    def run(meeting, name, *args, archive=False, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return operations.transition(meeting, name, *args, archive=archive, **kwargs)

    return run


@pytest.fixture
def initial_content_committed(db, django_capture_on_commit_callbacks):
    """The seed content with what follows its commit applied (the search
    entries and publications of its published meetings), as after `make run`."""

    def load_and_commit():
        with django_capture_on_commit_callbacks(execute=True):
            load_initial_content()

    seed_snapshot.load("with its on-commit work", load_and_commit)
