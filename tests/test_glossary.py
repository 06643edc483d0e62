import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from glossary.initial_content import TERMS
from glossary.markup import CHUNK, mark_first_uses
from glossary.models import Term
from partnerships.factories import PartnershipFactory

# Query budgets: fixed whatever the number of terms.
GLOSSARY_QUERIES = 2  # the terms for the list, the terms for the <abbr> markup

EXPANSIONS = {
    "NOCS": "Serious and Organised Crime Strategy",
    "LCR": "Liverpool City Region",
    "DA": "domestic abuse",
    "DAS": "a longer term starting like another",
    "Q&A": "never matched: not a word",
}


def page(main):
    return (
        f"<html><head><title>NOCS</title></head><body><p>NOCS</p><main>{main}</main><p>LCR</p></body></html>"
    )


def marked(main, expansions=EXPANSIONS):
    html = mark_first_uses(page(main), expansions)
    return html[html.index("<main>") : html.index("</main>") + len("</main>")]


# --- the markup itself ---


def test_first_use_only_is_marked():
    assert marked("<p>The NOCS and the NOCS.</p><p>NOCS</p>") == (
        '<main><p>The <abbr title="Serious and Organised Crime Strategy">NOCS</abbr> and the NOCS.</p>'
        "<p>NOCS</p></main>"
    )


def test_only_main_is_marked():
    html = mark_first_uses(page("<p>nothing</p>"), EXPANSIONS)
    assert html == page("<p>nothing</p>")
    html = mark_first_uses(page("<p>LCR</p>"), EXPANSIONS)
    assert "<title>NOCS</title>" in html
    assert "<p>NOCS</p><main>" in html
    assert html.endswith("</main><p>LCR</p></body></html>")


def test_whole_words_and_capitals_only():
    assert marked("<p>NOCSX xNOCS NOCS_1 Nocs nocs</p>") == "<main><p>NOCSX xNOCS NOCS_1 Nocs nocs</p></main>"
    # Punctuation ends a word: "e.g.NOCS" and "Merseyside/LCR" are uses.
    assert marked("<p>(e.g.NOCS) Merseyside/LCR.</p>") == (
        '<main><p>(e.g.<abbr title="Serious and Organised Crime Strategy">NOCS</abbr>) '
        'Merseyside/<abbr title="Liverpool City Region">LCR</abbr>.</p></main>'
    )


def test_a_longer_term_wins_over_its_prefix():
    assert marked("<p>DAS then DA</p>") == (
        '<main><p><abbr title="a longer term starting like another">DAS</abbr> then '
        '<abbr title="domestic abuse">DA</abbr></p></main>'
    )


def test_links_code_and_existing_abbreviations_are_left_alone():
    main = (
        '<p><a href="/x">NOCS</a> <code>NOCS</code> <abbr title="mine">LCR</abbr></p>'
        "<script>var NOCS = 1;</script><textarea>NOCS</textarea><p>NOCS LCR</p>"
    )
    assert marked(main) == (
        '<main><p><a href="/x">NOCS</a> <code>NOCS</code> <abbr title="mine">LCR</abbr></p>'
        "<script>var NOCS = 1;</script><textarea>NOCS</textarea>"
        # The first use outside a link is marked; LCR was already marked by the author.
        '<p><abbr title="Serious and Organised Crime Strategy">NOCS</abbr> LCR</p></main>'
    )


def test_text_inside_a_link_within_other_markup_is_left_alone():
    assert marked('<p><a href="/"><strong>NOCS</strong></a></p>') == (
        '<main><p><a href="/"><strong>NOCS</strong></a></p></main>'
    )


def test_attributes_are_never_touched():
    main = '<p class="NOCS" title="LCR" data-x="a NOCS b">text</p><img alt="NOCS" src="/NOCS.png">'
    assert marked(main) == f"<main>{main}</main>"


def test_entities_and_other_markup_are_kept_byte_for_byte():
    main = "<p>Fish &amp; chips &#8217; &nbsp;<br/>LCR&rsquo;s &copy;</p><!-- NOCS -->"
    assert marked(main) == (
        "<main><p>Fish &amp; chips &#8217; &nbsp;<br/>"
        '<abbr title="Liverpool City Region">LCR</abbr>&rsquo;s &copy;</p><!-- NOCS --></main>'
    )


def test_the_title_attribute_is_escaped():
    html = marked("<p>XSS</p>", {"XSS": "\"><script>alert(1)</script> & 'quotes'"})
    assert html == (
        '<main><p><abbr title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;quotes&#x27;">'
        "XSS</abbr></p></main>"
    )


def test_terms_that_are_regex_characters_are_taken_literally():
    assert marked("<p>Q and A</p>") == "<main><p>Q and A</p></main>"


@pytest.mark.parametrize("shift", [-20, -9, -6, -3, -1, 0, 1, 3, 6, 40])
def test_long_pages_are_parsed_in_pieces_without_cutting_words(shift):
    # Tags all along, so that the pieces end at different places around the terms.
    filler = "ab <i>cd</i> " * (CHUNK // 13) + "y" * (20 + shift)
    main = f'<p>{filler} <a href="/">NOCS</a> LCR {filler}</p><p>NOCS</p>'
    assert marked(main) == (
        f'<main><p>{filler} <a href="/">NOCS</a> <abbr title="Liverpool City Region">LCR</abbr> {filler}</p>'
        '<p><abbr title="Serious and Organised Crime Strategy">NOCS</abbr></p></main>'
    )


def test_a_page_without_main_or_terms_is_returned_as_it_is():
    html = "<p>NOCS</p>"
    assert mark_first_uses(html, EXPANSIONS) is html
    assert mark_first_uses(page("NOCS"), {}) == page("NOCS")


# --- the model ---


@pytest.mark.django_db
def test_abbreviation_must_be_one_word():
    with pytest.raises(ValidationError):
        Term(abbreviation="A&E", expansion="accident and emergency").full_clean()
    Term(abbreviation="VRU", expansion="Violence Reduction Unit").full_clean()


# --- the middleware and pages ---


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
    assert mark_first_uses(html, {"Select": "a word the admin uses"}) != html  # it would be marked
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
