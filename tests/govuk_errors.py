"""What the GOV.UK error pattern shows once a form is refused, checked on the
page as a browser gets it."""

from bs4 import BeautifulSoup


def assert_error_shown(html, field_id, message):
    """The error summary links to the field, the field (its first radio or
    checkbox) has that id, and the message sits beside it, the field (or its
    fieldset) described by it."""
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    links = [(a["href"], a.get_text(strip=True)) for a in summary.select("a")]
    assert [text for href, text in links if href == f"#{field_id}"] == [message], links
    field = soup.find(id=field_id)
    assert field is not None and field.name in {"input", "select", "textarea"}, field
    inline = soup.find(id=f"{field_id}-error")
    assert inline is not None and message in inline.get_text(), inline
    assert "govuk-error-message" in inline["class"]
    described = field.find_parent("fieldset") if field.get("type") in {"radio", "checkbox"} else field
    assert f"{field_id}-error" in described.get("aria-describedby", "").split()
    assert "govuk-form-group--error" in field.find_parent(class_="govuk-form-group")["class"]
    return soup
