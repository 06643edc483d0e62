# Newest-first indexes that end with the id, the tie-break of the candidates walk.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0008_history_change_reasons_as_text'),
        ('search', '0005_people_organisations_and_terms'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='searchentry',
            name='search_entry_date',
        ),
        migrations.RemoveIndex(
            model_name='searchentry',
            name='search_entry_partnership_date',
        ),
        migrations.RemoveIndex(
            model_name='searchentry',
            name='search_entry_year_date',
        ),
        migrations.RemoveIndex(
            model_name='searchentry',
            name='search_entry_kind_date',
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['-date', '-id'], name='search_entry_newest'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['partnership', '-date', '-id'], name='search_entry_partner_newest'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['municipal_year', '-date', '-id'], name='search_entry_year_newest'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['kind', '-date', '-id'], name='search_entry_kind_newest'),
        ),
    ]
