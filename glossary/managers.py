from django.db import models

from foundation.fixed_queries import fixed_query


class TermManager(models.Manager):
    def expansions(self):
        """{abbreviation: expansion} for every term, in one query: read by
        every page that shows clerk-typed text, so compiled once."""
        return dict(every_term_pair())


@fixed_query
def every_term_pair():
    from .models import Term

    return Term.objects.values_list("abbreviation", "expansion")
