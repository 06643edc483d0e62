import math
import re

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from foundation.text import search_words
from partnerships.dates import municipal_year_label
from partnerships.models import Partnership, partnership_choices_by_name

from .managers import CANDIDATES, ORDERS, RELEVANCE
from .models import SearchEntry

PAGE_SIZE = 20
MAX_QUERY_CHARS = 200
MAX_PAGE = math.ceil(CANDIDATES / PAGE_SIZE)
# Municipal years offered in the filter: this one and the 19 before.
YEARS_OFFERED = 20
YEAR_PATTERN = re.compile(r"\d{4}(/\d{2})?")


def municipal_years(partnerships, today=None):
    """The municipal years offered, newest first: for each partnership, the
    one it is in today (each begins its year in its own month) and the
    YEARS_OFFERED - 1 before it, labelled as its meetings' entries are."""
    today = today or timezone.localdate()
    if not partnerships:
        partnerships = [Partnership()]  # the default start month
    # Partnerships that begin their year in the same month offer the same
    # years: one of each month (a national site has hundreds, in a few months).
    start_months = {p.municipal_year_start_month for p in partnerships}
    years = {}
    for month in start_months:
        start = Partnership(municipal_year_start_month=month).municipal_year_of(today)
        for year in range(start.year, start.year - YEARS_OFFERED, -1):
            years[municipal_year_label(year, start.month)] = year
    return sorted(years, key=lambda label: (years[label], label), reverse=True)


def parse(params, partnerships):
    """The search's parameters, and a list of (field id, message) for any
    that cannot be used. Every message says how to put it right."""
    errors = []
    one = {name: params.get(name, "") for name in ("q", "partnership", "year", "type", "sort", "page")}
    text = search_words(one["q"])
    if len(text) > MAX_QUERY_CHARS:
        errors.append(("search-q", f"Search for {MAX_QUERY_CHARS} characters or fewer"))
    partnership = None
    if one["partnership"]:
        partnership = next((p for p in partnerships if p.slug == one["partnership"]), None)
        if partnership is None:
            errors.append(("search-partnership", "Choose a partnership from the list"))
    year = one["year"]
    if year and not YEAR_PATTERN.fullmatch(year):
        errors.append(("search-year", "Choose a municipal year from the list, such as 2019/20"))
    kind = one["type"]
    if kind and kind not in SearchEntry.Kind.values:
        errors.append(("search-type", "Choose a type of result from the list"))
    order = one["sort"] or RELEVANCE
    if order not in dict(ORDERS):
        errors.append(("search-sort", "Choose how to sort the results from the list"))
    page = 1
    if one["page"]:
        if (
            one["page"].isascii()
            and one["page"].isdigit()
            and len(one["page"]) < 4
            and 1 <= int(one["page"]) <= MAX_PAGE
        ):
            page = int(one["page"])
        else:
            errors.append(("results", f"Choose a page from 1 to {MAX_PAGE}"))
    criteria = {
        "text": text,
        "partnership": partnership,
        "year": year,
        "kind": kind,
        "order": order,
        "page": page,
    }
    return criteria, errors


@require_safe
def search(request):
    partnerships = partnership_choices_by_name()
    criteria, errors = parse(request.GET, partnerships)
    context = {
        "criteria": criteria,
        "errors": errors,
        "partnerships": partnerships,
        # The chosen partnership's years, once one is chosen.
        "years": municipal_years([criteria["partnership"]] if criteria["partnership"] else partnerships),
        "kinds": SearchEntry.Kind.choices,
        "orders": ORDERS,
        "max_query_chars": MAX_QUERY_CHARS,
    }
    if criteria["text"] and not errors:
        page = criteria["page"]
        results = SearchEntry.objects.search(
            criteria["text"],
            partnership=criteria["partnership"].pk if criteria["partnership"] else None,
            municipal_year=criteria["year"],
            kind=criteria["kind"],
            order=criteria["order"],
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        pages = max(math.ceil(min(results.count, CANDIDATES) / PAGE_SIZE), 1)
        query = request.GET.copy()
        query.pop("page", None)

        def page_url(number):
            query["page"] = number
            return f"?{query.urlencode()}"

        context.update(
            results=results,
            page=page,
            pages=pages,
            previous_url=page_url(page - 1) if page > 1 else None,
            next_url=page_url(page + 1) if page < pages else None,
            first_url=page_url(1),
            first_result=(page - 1) * PAGE_SIZE + 1,
        )
    return render(request, "search/search.html", context, status=400 if errors else 200)
