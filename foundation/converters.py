"""Path converters that more than one app's URLconf uses, registered once by
the site (SiteConfig.ready, before any URLconf is imported)."""

import datetime


class IsoDateConverter:
    """yyyy-mm-dd in the path; an impossible date (2019-02-30) is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(value) from error

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


CONVERTERS = {"isodate": IsoDateConverter}
