"""Cross-references between minutes ("Further to Minute No. 32 of the
meeting held on 5 December 2019"), found as an item is saved."""

import datetime

from django.db import models

from ..citations import MONTHS, REFERENCE


class ItemReference(models.Model):
    """A minute's reference to an earlier minute, found in its text when it is
    saved, so that pages link it (and show what cites an item) without
    parsing anything."""

    from_item = models.ForeignKey("AgendaItem", on_delete=models.CASCADE, related_name="references")
    text = models.CharField(max_length=200, help_text="The words of the reference, as typed.")
    minute_number = models.PositiveIntegerField()
    meeting_date = models.DateField()
    to_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )

    class Meta:
        ordering = ["from_item", "pk"]

    def __str__(self):
        return self.text

    @classmethod
    def record_from(cls, item):
        from .items import AgendaItem

        cls.objects.filter(from_item=item).delete()
        partnership = item.meeting.partnership_id
        found = []
        for match in REFERENCE.finditer(f"{item.agenda_text}\n{item.minutes}"):
            month = MONTHS.get(match["month"])
            try:
                day = datetime.date(int(match["year"]), month, int(match["day"])) if month else None
            except ValueError:
                day = None
            if day is None:
                continue
            target = AgendaItem.objects.filter(
                meeting__partnership_id=partnership, meeting__date=day, minute_number=int(match["number"])
            ).first()
            found.append(
                cls(
                    from_item=item,
                    text=match[0],
                    minute_number=int(match["number"]),
                    meeting_date=day,
                    to_item=target,
                )
            )
        cls.objects.bulk_create(found)

    @classmethod
    def relink_to(cls, item, meeting=None):
        """Point at `item` the references to its number and date (entered
        before it was), and unpoint those it no longer matches."""
        meeting = meeting or item.meeting
        cls.objects.filter(to_item=item).exclude(
            minute_number=item.minute_number,
            meeting_date=meeting.date,
            from_item__meeting__partnership_id=meeting.partnership_id,
        ).update(to_item=None)
        if item.minute_number:
            cls.objects.filter(
                to_item__isnull=True,
                minute_number=item.minute_number,
                meeting_date=meeting.date,
                from_item__meeting__partnership_id=meeting.partnership_id,
            ).update(to_item=item)
