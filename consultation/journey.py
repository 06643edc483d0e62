"""
A resident's answers between pages, kept in their session (no database rows
until they press "Send"), keyed by consultation so that two consultations
answered at once do not mix.

The journey's `token` is made on the first answer and saved with the
response: Response.submission_token is unique, so the same journey can be
sent only once however often the final button is pressed.
"""

import uuid


class Journey:
    def __init__(self, request, consultation):
        self.session = request.session
        self.key = f"consultation:{consultation.slug}"
        self.sent_key = f"consultation:{consultation.slug}:sent"

    @property
    def data(self):
        return self.session.get(self.key) or {}

    @property
    def answers(self):
        return self.data.get("answers", {})

    @property
    def token(self):
        token = self.data.get("token")
        return uuid.UUID(token) if token else None

    def answer_for(self, question):
        return self.answers.get(str(question.pk))

    def save_answer(self, question, value):
        data = self.data
        data.setdefault("token", str(uuid.uuid4()))
        data.setdefault("answers", {})[str(question.pk)] = value
        # Assigned again (not changed in place) so that the session is saved.
        self.session[self.key] = data

    def first_missing(self, questions):
        """The first required question without an answer, if any."""
        answers = self.answers
        for number, question in enumerate(questions, start=1):
            if question.required and str(question.pk) not in answers:
                return number
        return None

    def finish(self, reference):
        self.session.pop(self.key, None)
        self.session[self.sent_key] = reference

    @property
    def sent_reference(self):
        return self.session.get(self.sent_key)
