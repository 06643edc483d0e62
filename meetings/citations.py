"""How minutes cite an earlier minute, as typed."""

import datetime
import re

# "Minute No. 32 of the meeting held on 5 December 2019" (also "Minutes No.",
# "5th December, 2019"), across line breaks as typed.
REFERENCE = re.compile(
    r"Minutes?\s+No\.?\s*(?P<number>\d+)\s+of\s+the\s+meeting\s+held\s+on\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Z][a-z]+),?\s+(?P<year>\d{4})"
)
MONTHS = {datetime.date(2000, n, 1).strftime("%B"): n for n in range(1, 13)}
