"""
Meetings of the partnerships, as council committee sites publish them: the
agenda, the minutes (items, resolutions, actions), who attended, declarations
of interest and the documents laid before the meeting, one module a concern.

Minute numbers run on from one meeting to the next within a partnership's
municipal year and restart at 1 when a new year begins; the year's first
month is Partnership.municipal_year_start_month.
"""

# In the order the models were always registered (fixtures and dumps list
# them so): the meeting, its items, who attended, its papers, the references.
from .meetings import (  # isort: skip
    BACKLOG_AFTER,
    MINIMUM_CLEAR_DAYS,
    Meeting,
    MinutesAmendment,
    StateChange,
    TransitionRefused,
    clear_days_between,
    is_backlog,
    printed_or_full_name,
)
from .items import Action, AgendaItem, Resolution  # isort: skip
from .attendance import Attendance, Declaration  # isort: skip
from .documents import Document, document_path  # isort: skip
from .references import MONTHS, REFERENCE, ItemReference  # isort: skip

__all__ = [
    "BACKLOG_AFTER",
    "MINIMUM_CLEAR_DAYS",
    "MONTHS",
    "REFERENCE",
    "Action",
    "AgendaItem",
    "Attendance",
    "Declaration",
    "Document",
    "ItemReference",
    "Meeting",
    "MinutesAmendment",
    "Resolution",
    "StateChange",
    "TransitionRefused",
    "clear_days_between",
    "document_path",
    "is_backlog",
    "printed_or_full_name",
]
