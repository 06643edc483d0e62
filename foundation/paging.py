"""
Pages of a long list whose length is counted only so far.

A public list of every decision (700,000 nationally) cannot count itself on
every page build: PostgreSQL's COUNT(*) over the joins to the meetings took
190 to 300 ms, and the page at an offset of hundreds of thousands costs as
much again. Like the search's "more than 200 results", a CappedPaginator
counts at most `most` + 1 rows (a COUNT over a LIMITed subquery): past that,
the list says "more than" and offers the newest `most` in pages; its filters
(a partnership, a municipal year, words) narrow it to the rest.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, most, **kwargs):
        self.most = most
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def counted(self):
        """How many rows there are, up to most + 1, in one query."""
        return self.object_list.values("pk")[: self.most + 1].count()

    @cached_property
    def count(self):
        """The rows offered in pages: at most `most`."""
        return min(self.counted, self.most)

    @property
    def more_than(self):
        """Whether there are more rows than those offered."""
        return self.counted > self.most
