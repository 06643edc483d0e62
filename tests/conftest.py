import io

import pytest
from django.core.management import call_command


@pytest.fixture
def initial_content(db):
    """The site as `make run` first serves it: everything from the seeds."""
    call_command("load_initial_content", stdout=io.StringIO())


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-test-password")
    client.force_login(user)
    return client
