"""
The background jobs of search (Celery; see smp_site/celery.py): the text of
an uploaded document, read after the clerk's save has committed, and a
rebuild of the whole index.
"""

import io

from celery import shared_task
from django.core.management import call_command

from meetings.models import Document

from . import indexing


@shared_task
def extract_document_text(pk):
    """Index a document with the text of its file (from whichever storage
    holds it). Nothing to do if it was deleted meanwhile."""
    document = Document.objects.select_related("meeting__partnership", "item").filter(pk=pk).first()
    if document is not None:
        indexing.reindex_document(document)


@shared_task
def reindex():
    """Rebuild the whole search index (as `manage.py rebuild_search_index`)."""
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output, stderr=io.StringIO())
    return output.getvalue().strip()
