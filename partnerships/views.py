from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from foundation.page_cache import shows_no_wording

from .models import Organisation, Partnership, RelatedBody, Seat


@shows_no_wording
def partnership_list(request):
    partnerships = list(Partnership.objects.all())
    # Every partnership is here, so those that replaced each are too.
    successors = {}
    for partnership in partnerships:
        if partnership.predecessor_id:
            successors.setdefault(partnership.predecessor_id, []).append(partnership)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "current": [p for p in partnerships if p.is_current],
            "former": [p for p in partnerships if not p.is_current],
            "successors": successors,
        },
    )


@shows_no_wording
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch(
                "seats", queryset=Seat.objects.select_related("partnership").order_by("partnership", "order")
            ),
            Prefetch(
                "related_partnerships",
                queryset=RelatedBody.objects.select_related("partnership"),
            ),
            "people",
        ),
        slug=slug,
    )
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})
