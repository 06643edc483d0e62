from django.db.models.signals import post_save

from meetings.models import Meeting

from .models import Publication


def meeting_saved(sender, instance, created=False, raw=False, **kwargs):
    """Record when a meeting first appeared and when its minutes first
    became public (a later correction is not news)."""
    if raw:
        return
    kinds = [Publication.Kind.MEETING] if created else []
    if instance.minutes_are_public:
        kinds.append(Publication.Kind.MINUTES)
    for kind in kinds:
        Publication.objects.get_or_create(
            kind=kind, meeting=instance, defaults={"partnership_id": instance.partnership_id}
        )


def connect():
    post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="follow-meeting-saved")
