import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from glossary.initial_content import TERMS
from glossary.markup import FirstUses
from glossary.models import Term
from meetings.models import ItemReference
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import PartnershipFactory

# Query budgets: fixed whatever the number of terms.
GLOSSARY_QUERIES = 1  # the terms (each marked up by the page itself)

EXPANSIONS = {
    "NOCS": "Serious and Organised Crime Strategy",
    "LCR": "Liverpool City Region",
    "DA": "domestic abuse",
    "DAS": "a longer term starting like another",
    "Q&A": "never matched: not a word",
}


def marked(*texts, expansions=EXPANSIONS):
    """Texts rendered one after another on one page, as the paragraphs tags do."""
    first_uses = FirstUses(expansions)
    return [first_uses.mark(text) for text in texts]


def render(source, **context):
    return Template("{% load site_tags meetings_tags %}" + source).render(Context(context))


# --- the markup itself ---


def test_first_use_only_is_marked():
    assert marked("The NOCS and the NOCS.", "NOCS") == [
        'The <abbr title="Serious and Organised Crime Strategy">NOCS</abbr> and the NOCS.',
        "NOCS",
    ]


@pytest.mark.django_db
def test_first_use_is_per_page():
    template = "{% paragraphs first %}{% paragraphs second %}"
    html = render(template, first="The NOCS.", second="NOCS again, and the LCR.")
    assert html.count("<abbr") == 0  # no term in the glossary: nothing to mark
    Term.objects.create(abbreviation="NOCS", expansion="Serious and Organised Crime Strategy")
    for _ in range(2):  # each page marks its own first use
        html = render(template, first="The NOCS.", second="NOCS again, and the LCR.")
        assert html == (
            '<p class="govuk-body">The <abbr title="Serious and Organised Crime Strategy">NOCS</abbr>.</p>'
            '<p class="govuk-body">NOCS again, and the LCR.</p>'
        )


def test_whole_words_and_capitals_only():
    assert marked("NOCSX xNOCS NOCS_1 Nocs nocs") == ["NOCSX xNOCS NOCS_1 Nocs nocs"]
    # Punctuation ends a word: "e.g.NOCS" and "Merseyside/LCR" are uses.
    assert marked("(e.g.NOCS) Merseyside/LCR.") == [
        '(e.g.<abbr title="Serious and Organised Crime Strategy">NOCS</abbr>) '
        'Merseyside/<abbr title="Liverpool City Region">LCR</abbr>.'
    ]


def test_a_longer_term_wins_over_its_prefix():
    assert marked("DAS then DA") == [
        '<abbr title="a longer term starting like another">DAS</abbr> then <abbr title="domestic abuse">DA</abbr>'
    ]


@pytest.mark.django_db
def test_links_are_left_alone():
    Term.objects.create(abbreviation="NOCS", expansion="Serious and Organised Crime Strategy")
    partnership = PartnershipFactory()
    target = AgendaItemFactory(meeting=MeetingFactory(partnership=partnership), minute_number=3)
    item = AgendaItemFactory(meeting=MeetingFactory(partnership=partnership))
    reference = ItemReference.objects.create(
        from_item=item,
        to_item=target,
        text="NOCS Minute No. 3",
        minute_number=3,
        meeting_date=target.meeting.date,
    )
    html = render(
        "{% linked_paragraphs text references %}",
        text="See NOCS Minute No. 3 on the NOCS.",
        references=[reference],
    )
    assert html == (
        f'<p class="govuk-body">See <a class="govuk-link" href="{target.get_absolute_url()}">NOCS Minute No. 3</a>'
        ' on the <abbr title="Serious and Organised Crime Strategy">NOCS</abbr>.</p>'
    )


def test_markup_typed_by_a_clerk_is_escaped_never_marked():
    # A clerk's text is plain: tags and attributes in it are shown as typed.
    assert marked('<abbr title="mine">LCR</abbr> <p class="NOCS">') == [
        '&lt;abbr title=&quot;mine&quot;&gt;<abbr title="Liverpool City Region">LCR</abbr>&lt;/abbr&gt; '
        '&lt;p class=&quot;<abbr title="Serious and Organised Crime Strategy">NOCS</abbr>&quot;&gt;'
    ]


def test_text_around_terms_is_escaped():
    assert marked("Fish & chips <b>\u2019 LCR's") == [
        'Fish &amp; chips &lt;b&gt;\u2019 <abbr title="Liverpool City Region">LCR</abbr>&#x27;s'
    ]


def test_the_title_attribute_is_escaped():
    assert marked("XSS", expansions={"XSS": "\"><script>alert(1)</script> & 'quotes'"}) == [
        '<abbr title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;quotes&#x27;">XSS</abbr>'
    ]


def test_terms_that_are_regex_characters_are_taken_literally():
    assert marked("Q and A") == ["Q and A"]


def test_without_terms_text_is_only_escaped():
    assert marked("NOCS & LCR", expansions={}) == ["NOCS &amp; LCR"]


# --- the model ---


@pytest.mark.django_db
def test_abbreviation_must_be_one_word():
    with pytest.raises(ValidationError):
        Term(abbreviation="A&E", expansion="accident and emergency").full_clean()
    Term(abbreviation="VRU", expansion="Violence Reduction Unit").full_clean()


# --- the pages ---


@pytest.mark.django_db
def test_pages_mark_the_first_use(client):
    Term.objects.create(abbreviation="SMP", expansion="Safer Merseyside Partnership")
    partnership = PartnershipFactory(
        short_name="SMP", summary="The SMP oversees things.", purpose="The SMP does SMP things."
    )
    html = client.get(partnership.get_absolute_url()).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('<abbr title="Safer Merseyside Partnership">SMP</abbr>') == 1
    # In the page head (<title>, the description) nothing changes.
    head = html[: html.index("</head>")]
    assert "<abbr" not in head


@pytest.mark.django_db
def test_content_length_is_kept_right(client):
    Term.objects.create(abbreviation="SMP", expansion="Safer Merseyside Partnership")
    partnership = PartnershipFactory(short_name="SMP", purpose="The SMP.")
    response = client.get(partnership.get_absolute_url())
    assert b"<abbr" in response.content
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.django_db
def test_non_html_responses_are_untouched(client):
    Term.objects.create(abbreviation="Disallow", expansion="not a real term")
    response = client.get("/robots.txt")
    assert b"<abbr" not in response.content
    assert b"Disallow: /admin/" in response.content


@pytest.mark.django_db
def test_json_responses_are_untouched(client):
    Term.objects.create(abbreviation="SMP", expansion="Safer Merseyside Partnership")
    PartnershipFactory(short_name="SMP", summary="<main>The SMP</main>")
    response = client.get("/api/organizations/")
    assert b"<abbr" not in response.content
    assert response.json()["results"][0]["description"] == "<main>The SMP</main>"


@pytest.mark.django_db
def test_admin_is_untouched(staff_client):
    # The admin's list page says "Select term to change" in its <main>.
    Term.objects.create(abbreviation="Select", expansion="a word the admin uses")
    html = staff_client.get(reverse("admin:glossary_term_changelist")).content.decode()
    assert "Select" in html
    assert "<abbr" not in html


@pytest.mark.django_db
def test_clerks_edit_terms_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:glossary_term_add"),
        {"abbreviation": "VRU", "expansion": "Violence Reduction Unit", "description": ""},
    )
    assert response.status_code == 302
    assert Term.objects.get(abbreviation="VRU").expansion == "Violence Reduction Unit"


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=300)
def test_editing_a_term_refreshes_cached_pages(client, django_capture_on_commit_callbacks):
    # Each change committed as in production, so that its effects run.
    with django_capture_on_commit_callbacks(execute=True):
        term = Term.objects.create(abbreviation="SMP", expansion="Old words")
        partnership = PartnershipFactory(short_name="SMP", purpose="The SMP.")
    assert b'title="Old words"' in client.get(partnership.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        term.expansion = "Safer Merseyside Partnership"
        term.save()
    assert b'title="Safer Merseyside Partnership"' in client.get(partnership.get_absolute_url()).content


# --- the glossary page ---


@pytest.mark.django_db
def test_glossary_page_lists_terms_a_to_z(client):
    for abbreviation, expansion in [("VRU", "Violence Reduction Unit"), ("ASB", "anti-social behaviour")]:
        Term.objects.create(
            abbreviation=abbreviation, expansion=expansion, description=f"About {abbreviation}."
        )
    response = client.get(reverse("glossary:index"))
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") :]
    assert html.index('id="letter-a"') < html.index("ASB") < html.index('id="letter-v"') < html.index("VRU")
    assert '<abbr title="Violence Reduction Unit">VRU</abbr>' in html
    assert html.count("<abbr") == 2  # each term once: the markup adds nothing more here
    assert "About VRU." in html


@pytest.mark.django_db
def test_glossary_page_when_empty(client):
    assert b"no abbreviations in the glossary yet" in client.get("/glossary/").content


@pytest.mark.django_db
def test_footer_links_to_the_glossary(client):
    assert b'href="/glossary/">Glossary</a>' in client.get("/").content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_glossary_page_query_count_is_fixed(client, django_assert_max_num_queries, size):
    Term.objects.bulk_create(Term(abbreviation=f"T{n}", expansion=f"Term {n}") for n in range(size))
    with django_assert_max_num_queries(GLOSSARY_QUERIES):
        response = client.get("/glossary/")
    assert response.content.count(b"govuk-summary-list__row") == size


# --- initial content ---


@pytest.mark.django_db
def test_initial_content_loads_the_seed_terms(initial_content):
    expansions = Term.objects.expansions()
    for abbreviation in [
        "NOCS",
        "LCR",
        "PVPF",
        "CRC",
        "ASB",
        "VAWG",
        "SOC",
        "VRU",
        "DWP",
        "PCC",
        "SMP",
        "SSCP",
    ]:
        assert abbreviation in expansions
    assert expansions["NOCS"] == "Serious and Organised Crime Strategy"
    assert len(expansions) == len(TERMS)


@pytest.mark.django_db
def test_seeded_smp_page_marks_its_acronyms(client, initial_content):
    html = client.get("/partnerships/safer-merseyside-partnership/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for abbreviation, expansion in [
        ("NOCS", "Serious and Organised Crime Strategy"),
        ("LCR", "Liverpool City Region"),
    ]:
        assert main.count(f'<abbr title="{expansion}">{abbreviation}</abbr>') == 1


@pytest.mark.django_db
def test_a_term_links_to_its_row_on_the_glossary_page(client):
    term = Term.objects.create(abbreviation="VRU", expansion="Violence Reduction Unit")
    assert term.get_absolute_url() == "/glossary/#term-VRU"
    assert b'id="term-VRU"' in client.get("/glossary/").content
