"""The open data of a consultation (issue 25, item 4): concerns.csv is for people, with its column
names, categories, risk intensities and outcomes as words in the reader's language (Albanian by
default); concerns.json keeps the codes."""

import csv
import io

import pytest
from django.utils import translation

from consultations import services
from consultations.models import Concern, Intensity, Problem
from tests.builders import announce_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(elbasan, consultation, officers):
    announced = announce_consultation(consultation)
    concern = services.concern_submit(
        council=elbasan, consultation=announced, text="Ndriçimi mungon", category="other"
    )
    services.concern_publish(concern=concern, public_text="Ndriçimi mungon te ura", user=officers["skn"])
    problem = services.problem_create(consultation=announced, title="Ndriçimi publik", concerns=[concern])
    services.problem_assess(
        problem=problem,
        title="Ndriçimi publik",
        intensity=Intensity.HIGH,
        reasons="Shumë ankesa.",
        outcome=Problem.Outcome.REFERRED,
        outcome_note="Drejtoria e shërbimeve publike",
    )
    return announced


def _csv(client, consultation) -> list[list[str]]:
    body = client.get(f"/elbasan/consultations/{consultation.pk}/concerns.csv").content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_names_columns_and_values_in_words(client, heard):
    client.cookies["kvsp_language"] = "en"
    header, line = _csv(client, heard)
    assert header == [
        "Received",
        "Category",
        "Administrative unit",
        "Neighbourhood",
        "Concern",
        "Problem",
        "Risk intensity",
        "Outcome",
        "Note on the outcome",
    ]
    assert line[1:] == [
        "other",
        "",
        "",
        "Ndriçimi mungon te ura",
        "Ndriçimi publik",
        "high priority",
        "referred elsewhere",
        "Drejtoria e shërbimeve publike",
    ]
    assert line[0].count("/") == 2  # the day as people write it (en: dd/mm/yyyy), not ISO


def test_the_csv_is_albanian_by_default_and_the_json_keeps_codes(client, heard):
    header, line = _csv(client, heard)
    with translation.override("sq"):
        words = [str(Intensity.HIGH.label), str(Problem.Outcome.REFERRED.label)]
        category = str(Concern(category="other").get_category_display())
    assert words[0] != "high priority" and words[1] != "referred elsewhere"  # the catalogue has them
    assert line[1] == category and line[6:8] == words
    assert "high" not in line and "referred" not in line and "." in line[0]  # 04.03.2026
    assert header[0] != "received"
    data = client.get(f"/elbasan/consultations/{heard.pk}/concerns.json").json()
    (row,) = data["concerns"]
    assert (row["category"], row["priority"], row["outcome"]) == ("other", "high", "referred")
    assert row["received"].count("-") == 2  # ISO in the JSON
