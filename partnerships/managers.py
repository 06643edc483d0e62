from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Window
from django.db.models.functions import RowNumber


class PartnershipQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status="ended")

    def former(self):
        return self.filter(status="ended")

    def first_of_each_status(self, limit):
        """The first `limit` current partnerships and the first `limit` former
        ones, in the list's order, each annotated with `total`, the number of
        partnerships in all: the home page's, in one query however many a
        national site has, rather than every one."""
        ended = ExpressionWrapper(Q(status="ended"), output_field=BooleanField())
        return self.annotate(
            place=Window(RowNumber(), partition_by=[ended], order_by=self.model._meta.ordering),
            total=Window(Count("pk")),
        ).filter(place__lte=limit)

    def choices(self):
        """The partnerships as a list's filter offers them: light rows of
        pk, name, slug and municipal_year_start_month, in this queryset's
        order. A national site offers some 300 on every list page, and a row
        costs a fraction of a model instance."""
        return self.values_list("pk", "name", "slug", "municipal_year_start_month", named=True)


class SeatQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)
