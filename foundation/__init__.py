"""
The foundation every app builds on, and which imports no app: the page cache
and the registry of content it reads, background jobs, storage, bounds on
every wait for a dependency (the PostgreSQL backend with its watchdog, the
failsafe cache, circuit breakers), dates, text, the path converters, the
GOV.UK form base, the admin mixin for records nobody edits, and the template
tags every app's templates load. docs/architecture.md.
"""
