"""The import corpus (tests/meetings/corpus.py): twelve meetings in six
councils' styles, each in every format that applies, must import to the same
meeting. Prints fields right over fields total per file and format."""

import pytest

from meetings.importers.formats import read_upload
from tests.meetings.corpus import FORMATS, expected_fields, meetings, parsed_fields, source

CASES = [(meeting, form) for meeting in meetings() for form in FORMATS[meeting["style"]]]


def score(meeting, form, directory):
    name, data = source(meeting, form)
    path = directory / f"{form}-{name}"
    path.write_bytes(data)
    parsed = read_upload(name, path).parsed
    expected = expected_fields(meeting)
    got = parsed_fields(parsed, meeting)
    wrong = [
        f"{field}: expected {value!r}, got {got.get(field)!r}"
        for field, value in expected.items()
        if got.get(field) != value
    ]
    return len(expected) - len(wrong), len(expected), wrong


def test_the_corpus_covers_twelve_meetings_in_six_styles():
    assert len(meetings()) >= 12
    assert len({meeting["style"] for meeting in meetings()}) >= 6


def test_every_meeting_imports_alike_in_every_format(tmp_path, capsys):
    rows = []
    failures = []
    for meeting, form in CASES:
        right, total, wrong = score(meeting, form, tmp_path)
        rows.append((meeting["file"], form, right, total))
        failures += [f"{meeting['file']} as {form}: {line}" for line in wrong]
    with capsys.disabled():
        print("\nImport corpus: fields right / fields total")
        for file, form, right, total in rows:
            print(f"  {file:32} {form:11} {right:3}/{total}")
        print(f"  {'all':32} {'':11} {sum(r[2] for r in rows):3}/{sum(r[3] for r in rows)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("form", ["docx_blank", "docx_plain", "pdf"])
def test_word_and_pdf_read_as_the_text_does(form, tmp_path):
    """The same minutes give the same ParsedMeeting, whatever the file."""
    from meetings.importers.text import parse_text
    from tests.meetings.corpus import as_text

    for meeting in meetings():
        name, data = source(meeting, form)
        path = tmp_path / name
        path.write_bytes(data)
        got = read_upload(name, path).parsed
        text = parse_text(as_text(meeting))
        assert (got.items, got.attendees, got.venue, got.date) == (
            text.items,
            text.attendees,
            text.venue,
            text.date,
        ), name
