from django.db import models


class TermQuerySet(models.QuerySet):
    def expansions(self):
        """{abbreviation: expansion} for every term, in one query."""
        return dict(self.values_list("abbreviation", "expansion"))
