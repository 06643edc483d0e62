"""Search finds the partnerships' own pages: purpose, priorities,
objectives, seats, history and achievements (on SQLite and PostgreSQL)."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from partnerships.models import Achievement, Partnership, Priority

SMP = "/partnerships/safer-merseyside-partnership/"
MCSP = "/partnerships/merseyside-community-safety-partnership/"


def result_links(client, **params):
    soup = BeautifulSoup(client.get("/search/", params).content, "html.parser")
    return [a["href"] for a in soup.select("main a[href]")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, page",
    [
        ("Red Umbrella", MCSP),
        ("Probation", SMP),
        ("Early Intervention Youth Fund", MCSP),
        ('"knife crime"', MCSP),
        ("knife crime", MCSP),
        ("Tackling serious and organised crime", SMP),
        ("Raise the national profile", SMP),
    ],
)
def test_the_seed_phrases_find_the_partnership_pages(client, initial_content, q, page):
    assert page in result_links(client, q=q)


@pytest.mark.django_db
def test_rebuilding_the_index_keeps_the_partnership_pages_findable(client, initial_content):
    call_command("rebuild_search_index", verbosity=0)
    assert MCSP in result_links(client, q="Red Umbrella")
    assert SMP in result_links(client, q="Probation", kind="partnership")


@pytest.mark.django_db
def test_a_clerks_change_to_a_priority_or_achievement_is_found_at_once(client, initial_content):
    smp = Partnership.objects.get(slug="safer-merseyside-partnership")
    Priority.objects.create(partnership=smp, order=9, text="Reducing rural wildlife crime")
    assert SMP in result_links(client, q="wildlife")
    achievement = Achievement.objects.get(
        partnership__slug="merseyside-community-safety-partnership", year="2017/18"
    )
    achievement.delete()
    assert MCSP not in result_links(client, q="Red Umbrella")
