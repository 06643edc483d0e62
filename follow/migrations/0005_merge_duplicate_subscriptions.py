"""Sign-ups that raced each other left duplicate subscriptions (and a 500 on
every later sign-up of that address). The one kept is the confirmed one if
any, else the oldest, and the emails of the others move to it. In a
migration of its own, before 0006 adds the constraint: PostgreSQL will not
alter a table in the transaction that has just changed rows it refers to."""

from django.db import migrations, models


def merge_duplicates(apps, schema_editor):
    Subscription = apps.get_model("follow", "Subscription")
    OutgoingEmail = apps.get_model("follow", "OutgoingEmail")
    kept = {}
    # Confirmed first, then oldest: the first of each group is the one kept.
    ordered = Subscription.objects.order_by(models.F("confirmed_at").asc(nulls_last=True), "pk")
    for subscription in ordered.iterator():
        key = (subscription.email, subscription.kind, subscription.partnership_id, subscription.query)
        keeper = kept.setdefault(key, subscription)
        if keeper.pk != subscription.pk:
            OutgoingEmail.objects.filter(subscription_id=subscription.pk).update(subscription_id=keeper.pk)
            subscription.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("follow", "0004_outgoing_email_subscription"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
    ]
