"""
The layer above the apps that writes meetings: every path a clerk takes (the
admin's change form and list actions, the minutes editor, the text, Word and
ModernGov imports, the management commands, the initial content) writes a
meeting through `publishing.operations`, and nothing else does.

Each operation validates what the meeting's state allows, saves, writes one
history row of the meeting naming the operation and its reason, and hands
what it changed to one after-commit step (`publishing.effects`) that brings
search, the page cache, the feeds and alerts and the agenda pack up to date.

It sits above the apps because its effects reach into search and follow,
which depend on meetings (docs/architecture.md).
"""
