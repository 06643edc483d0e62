"""The migration that makes subscriptions unique, on a database that already
holds the duplicates racing sign-ups made: they are merged (the confirmed
one kept, else the oldest, with the emails of the others), then the
constraint is added."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.partnerships.factories import PartnershipFactory

BEFORE = [("follow", "0004_outgoing_email_subscription")]
AFTER = [("follow", "0006_unique_subscription")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_duplicate_subscriptions_are_merged_before_the_constraint_is_added():
    partnership = PartnershipFactory()  # as the other apps' tables are now
    apps = migrate(BEFORE)
    try:
        Subscription = apps.get_model("follow", "Subscription")
        OutgoingEmail = apps.get_model("follow", "OutgoingEmail")
        first = Subscription.objects.create(email="a@example.org", kind="meeting")
        second = Subscription.objects.create(email="a@example.org", kind="meeting")
        OutgoingEmail.objects.create(to="a@example.org", subscription=second, subject="s", body="b")
        unconfirmed = Subscription.objects.create(
            email="b@example.org", kind="minutes", partnership_id=partnership.pk
        )
        confirmed = Subscription.objects.create(
            email="b@example.org",
            kind="minutes",
            partnership_id=partnership.pk,
            confirmed_at="2026-01-01T00:00Z",
        )
        other = Subscription.objects.create(
            email="b@example.org", kind="meeting", partnership_id=partnership.pk
        )

        apps = migrate(AFTER)
        Subscription = apps.get_model("follow", "Subscription")
        OutgoingEmail = apps.get_model("follow", "OutgoingEmail")
        kept = set(Subscription.objects.values_list("pk", flat=True))
        assert kept == {first.pk, confirmed.pk, other.pk}
        assert unconfirmed.pk not in kept
        assert OutgoingEmail.objects.get().subscription_id == first.pk
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
