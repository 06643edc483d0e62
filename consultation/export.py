"""
The CSV export: one row per response, in the order they were sent, with a
fixed column order (the response's own columns, then one per question in
question order, and an "_other" column after a question with "Other").

Cells a spreadsheet would run as a formula (starting =, +, -, @, or a tab or
carriage return) get a leading apostrophe, so that a resident's typed answer
can never run in a staff member's Excel (OWASP "CSV injection").
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RESPONSE_COLUMNS = ["reference", "submitted_at", "channel", "status", "status_reason"]
BOM = "\ufeff"  # so that Excel reads the file as UTF-8


def neutralise(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def columns(questions):
    headings = list(RESPONSE_COLUMNS)
    for question in questions:
        headings.append(question.code)
        if question.other_code():
            headings.append(f"{question.code}_other")
    return headings


def response_row(response, questions):
    by_question = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    row = [
        response.reference,
        response.submitted_at.isoformat(timespec="seconds"),
        response.channel,
        response.status,
        response.status_reason,
    ]
    for question in questions:
        answers = by_question.get(question.pk, [])
        if question.is_choice:
            row.append(";".join(a.choice_code for a in answers))
            if question.other_code():
                row.append(" ".join(a.text for a in answers if a.text))
        else:
            row.append(" ".join(a.text for a in answers))
    return [neutralise(cell) for cell in row]


class _Echo:
    """csv.writer writes to this and gets each line back, for streaming."""

    def write(self, value):
        return value


def lines(consultation):
    """The file, line by line: BOM and headings first."""
    questions = list(consultation.questions.all())
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(columns(questions))
    for response in consultation.responses.for_export().iterator(chunk_size=500):
        yield writer.writerow(response_row(response, questions))
