from itertools import groupby

from django.shortcuts import render

from foundation.page_cache import shows_no_wording

from .models import Term


@shows_no_wording
def index(request):
    terms = list(Term.objects.all())
    # Sorted case-insensitively so that "DA" and "Da" sit together under D.
    terms.sort(key=lambda term: term.abbreviation.upper())
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda term: term.initial)]
    return render(request, "glossary/index.html", {"letters": letters, "term_count": len(terms)})
