"""A resident's way through a consultation, as the test client takes it:
shared by the journey's tests and those of many residents sending at once
or of a site whose dependencies fail."""

from django.urls import reverse


def url(consultation, name, *args):
    return reverse(f"consultation:{name}", args=[consultation.slug, *args])


def answer(client, consultation, number, data, follow=False, change=False):
    """POST one question page; `data` keys are the question's own field names."""
    question = [q for q in consultation.questions.all() if not q.equality_monitoring][number - 1]
    posted = {f"q{question.pk}-{name}": value for name, value in data.items()}
    path = url(consultation, "question", number) + ("?change=1" if change else "")
    return client.post(path, posted, follow=follow)


def answer_all(client, consultation, willing="yes", priorities=("burglary",), district="sefton", comment=""):
    assert answer(client, consultation, 1, {"answer": willing}).status_code == 302
    assert answer(client, consultation, 2, {"answer": list(priorities)}).status_code == 302
    assert answer(client, consultation, 3, {"answer": district}).status_code == 302
    assert answer(client, consultation, 4, {"answer": ""}).status_code == 302
    response = answer(client, consultation, 5, {"answer": comment})
    assert response.status_code == 302
    assert response.url == url(consultation, "check")


def send(client, consultation, data=None):
    return client.post(url(consultation, "submit"), data or {})
