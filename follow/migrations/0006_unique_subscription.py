"""One subscription for one address and one thing asked for, so that two
identical sign-ups at once make one row (follow.subscriptions.sign_up)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("follow", "0005_merge_duplicate_subscriptions"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                condition=models.Q(("partnership__isnull", False)),
                fields=("email", "kind", "partnership", "query"),
                name="unique_subscription_of_partnership",
            ),
        ),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                condition=models.Q(("partnership__isnull", True)),
                fields=("email", "kind", "query"),
                name="unique_subscription_of_all_partnerships",
            ),
        ),
    ]
