"""Reference data: 12 counties, 61 municipalities with stable ASCII slugs, 373 administrative units."""

import pytest
from django.db import IntegrityError, transaction

from councils.models import AdministrativeUnit, Council, County, Municipality

pytestmark = pytest.mark.django_db


def test_counts():
    assert County.objects.count() == 12
    assert Municipality.objects.count() == 61
    assert AdministrativeUnit.objects.count() == 373
    assert Council.objects.count() == 61


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kuçovë", "kucove"),
        ("Fushë-Arrëz", "fushe-arrez"),
        ("Vau i Dejës", "vau-i-dejes"),
        ("Elbasan", "elbasan"),
        ("Dimal", "dimal"),
    ],
)
def test_slugs_are_ascii_of_the_albanian_name(name, slug):
    assert Municipality.objects.get(slug=slug).name == name


def test_every_council_starts_not_established():
    assert set(Council.objects.values_list("status", flat=True)) == {Council.Status.NOT_ESTABLISHED}


def test_reserved_words_can_never_be_slugs():
    county = County.objects.first()
    for reserved in (
        "app",
        "api",
        "admin",
        "accounts",
        "static",
        "media",
        "healthz",
        "compliance",
        "national",
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Municipality.objects.create(name=f"Test {reserved}", slug=reserved, county=county)


def test_admin_corrects_a_name_and_the_slug_stays(client, platform_admin):
    municipality = Municipality.objects.get(slug="kucove")
    client.force_login(platform_admin)
    response = client.post(
        f"/admin/councils/municipality/{municipality.pk}/change/",
        {"name": "Kuçova", "county": municipality.county_id, "slug": "hacked"},
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.name == "Kuçova"
    assert municipality.slug == "kucove"
    assert municipality.history.latest().history_user == platform_admin
