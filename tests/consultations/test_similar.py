"""The concern form's duplicate hints (issue 23 item 4): no pre-selected category, similar
published concerns of the council as the citizen types, and "this is my problem too", counted
once per browser session, under the per-address limit, without a second concern."""

import pytest

from consultations import selectors, services
from consultations.models import Concern
from tests.factories import UserFactory, council

pytestmark = pytest.mark.django_db

FORM = "/elbasan/concerns/new/"
SIMILAR = "/elbasan/concerns/similar/"


def _published(the_council, text, category="hotspots", **fields):
    concern = services.concern_submit(
        council=the_council, text=text + " (Agim, 069 123 4567)", category=category
    )
    concern = services.concern_publish(concern=concern, public_text=text, user=UserFactory())
    if fields:
        Concern.objects.filter(pk=concern.pk).update(**fields)
    return concern


@pytest.fixture
def client(client):
    """English: the new sentences are checked in English (the Albanian ones are merged by the lead)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _support(client, concern, slug="elbasan", **extra):
    return client.post(f"/{slug}/concerns/{concern.pk}/support/", **extra)


# --- the form ------------------------------------------------------------------------------------


def test_the_form_chooses_no_category_for_the_citizen(client, elbasan):
    page = client.get(FORM).text
    assert '<option value="" selected>Choose a category</option>' in page
    assert page.count(" selected>") == 2  # the empty category and the empty unit, nothing else
    # The text and the category ask for similar concerns as the citizen types, nothing else is sent.
    assert 'data-hx-get="/elbasan/concerns/similar/"' in page
    assert 'data-hx-trigger="keyup changed delay:500ms"' in page and 'data-hx-include="#id_category"' in page


def test_without_a_category_the_citizen_gets_a_clear_message_and_keeps_what_they_typed(client, elbasan):
    response = client.post(
        FORM,
        {"text": "Makinat kalojnë me shpejtësi.", "neighbourhood": "Rruga Kozmai", "contact_name": "Ana"},
    )
    assert response.status_code == 200
    assert "Choose the category that fits your concern best." in response.text
    assert "Makinat kalojnë me shpejtësi." in response.text and "Rruga Kozmai" in response.text
    assert 'value="Ana"' in response.text
    assert not Concern.objects.exists()


# --- matching ------------------------------------------------------------------------------------


def test_matching_ignores_accents_and_case_and_keeps_only_the_councils_published_concerns(elbasan):
    school = _published(elbasan, "Droga shitet pranë shkollës në Shushicë")
    _published(elbasan, "Ndriçimi mungon në urë")
    received = services.concern_submit(council=elbasan, text="Droga pranë shkollës", category="hotspots")
    elsewhere = _published(council("belsh"), "Droga pranë shkollës në Belsh")
    found = selectors.similar_published(elbasan, "DROGE prane SHKOLLES")
    assert found == [school]
    assert received not in found and elsewhere not in found
    assert selectors.similar_published(elbasan, "") == []
    assert selectors.similar_published(elbasan, "eshte jane edhe") == []  # only frequent words


def test_at_most_five_most_alike_first_then_same_category_then_more_support(elbasan):
    both = _published(elbasan, "Vjedhje makinash dhe shkolla pa roje")
    for n in range(6):
        _published(elbasan, f"Vjedhje në dyqane {n}", category="property_crime", support_count=n)
    other_category = _published(elbasan, "Vjedhje biçikletash", category="other", support_count=50)
    found = selectors.similar_published(elbasan, "vjedhjet e makinave te shkolla", category="property_crime")
    assert len(found) == 5
    assert found[0] == both  # three words shared
    assert other_category not in found  # the same category comes before more support
    assert [concern.support_count for concern in found[1:]] == [5, 4, 3, 2]


def test_the_list_shows_the_published_text_only(client, elbasan):
    concern = _published(elbasan, "Droga shitet pranë shkollës")
    page = client.get(SIMILAR, {"text": "droga te shkolla"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "Droga shitet pranë shkollës" in page.text and "This is my problem too" in page.text
    assert "Agim" not in page.text and "069" not in page.text and concern.code not in page.text
    assert "<html" not in page.text  # htmx gets the fragment; without JavaScript, a whole page
    assert "<html" in client.get(SIMILAR, {"text": "droga te shkolla"}).text
    assert client.get(SIMILAR, {"text": "droga", "category": "<script>"}).status_code == 200


@pytest.mark.parametrize("published", [1, 50])
def test_the_similar_concerns_use_a_fixed_number_of_queries(
    client, elbasan, published, django_assert_max_num_queries
):
    for n in range(published):
        _published(elbasan, f"Droga te shkolla {n}")
    client.get(SIMILAR)  # the first request of a session stamps it: not counted
    with django_assert_max_num_queries(4):
        page = client.get(SIMILAR, {"text": "droga shkolla"}, HTTP_HX_REQUEST="true")
    assert page.text.count('class="list-group-item"') == min(published, 5)


# --- "this is my problem too" ----------------------------------------------------------------------


def test_support_is_counted_once_per_session_without_a_second_concern(client, elbasan):
    concern = _published(elbasan, "Droga shitet pranë shkollës")
    first = _support(client, concern, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "1 more citizen has this problem" in first.text
    again = _support(client, concern)
    assert again.status_code == 302 and again["Location"] == FORM
    page = client.get(FORM)
    assert "You have already said this is your problem too" in page.text
    concern.refresh_from_db()
    assert concern.support_count == 1 and Concern.objects.count() == 1
    # Another browser session counts once more.
    client.cookies.clear()
    _support(client, concern)
    concern.refresh_from_db()
    assert concern.support_count == 2


def test_support_is_under_the_per_address_limit(client, elbasan, settings):
    settings.CONCERN_RATE_LIMIT = 2
    concerns = [_published(elbasan, f"Droga te shkolla {n}") for n in range(3)]
    codes = [_support(client, concern).status_code for concern in concerns]
    assert codes == [302, 302, 429]
    assert [Concern.objects.get(pk=c.pk).support_count for c in concerns] == [1, 1, 0]


def test_only_a_published_concern_of_this_council_can_be_supported(client, elbasan):
    received = services.concern_submit(council=elbasan, text="Droga te shkolla", category="hotspots")
    rejected = services.concern_submit(council=elbasan, text="Droga te parku", category="hotspots")
    services.concern_reject(concern=rejected, reason="Jashtë teme", user=UserFactory())
    elsewhere = _published(council("belsh"), "Droga në Belsh")
    assert _support(client, received).status_code == 404
    assert _support(client, rejected).status_code == 404
    assert _support(client, elsewhere).status_code == 404  # another council's, through Elbasan
    assert client.post("/elbasan/concerns/999999/support/").status_code == 404
    assert client.get(f"/elbasan/concerns/{received.pk}/support/").status_code == 405
    assert set(Concern.objects.values_list("support_count", flat=True)) == {0}


def test_the_count_is_shown_on_the_consultation_and_to_moderators(client, elbasan, consultation, officers):
    from tests.builders import announce_consultation

    announce_consultation(consultation)
    concern = services.concern_submit(
        council=elbasan, consultation=consultation, text="Droga te shkolla", category="hotspots"
    )
    services.concern_publish(concern=concern, public_text="Droga te shkolla", user=officers["secretary"])
    Concern.objects.filter(pk=concern.pk).update(support_count=3)
    public = client.get(f"/elbasan/consultations/{consultation.pk}/")
    assert "3 more citizens have this problem" in public.text
    client.force_login(officers["secretary"])
    assert "3 more citizens have this problem" in client.get(f"/app/elbasan/concerns/{concern.code}/").text
    assert "3 more citizens have this problem" in client.get("/app/elbasan/concerns/?status=published").text


def test_the_demo_gives_elbasans_published_concerns_support_once(elbasan):
    from consultations import demo

    concerns = [_published(elbasan, f"Droga te shkolla {n}") for n in range(3)]
    demo._support(elbasan)
    demo._support(elbasan)  # a second run of the demo counts nobody again
    counts = [Concern.objects.get(pk=concern.pk).support_count for concern in concerns]
    assert counts == list(demo.SUPPORT[:3])
