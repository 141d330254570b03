"""An indicator split by sex (issue 22 item 8): a value per split, the total their sum (computed, or
checked when typed: a clear error, nothing lost), stored in ``breakdown``; shown on the indicator's
page and in the monthly report, whose frozen content keeps the values per split."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from monitoring import selectors, services
from monitoring.models import IndicatorValue, MonthlyReport
from plans import services as plan_services
from plans.models import Indicator
from plans.services import row_revision

from .conftest import approve, build_plan

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def split(elbasan, people, meeting):
    """Elbasan's plan of 2026 (conftest ``plan``) with its patrols indicator (quarterly) split by
    sex, approved on TODAY; gives the indicator."""
    data = build_plan(elbasan, people)
    plan_services.indicator_update(indicator=data.indicators["patrols"], disaggregation="sex")
    approve(data.version, people, meeting)
    return Indicator.objects.get(pk=data.indicators["patrols"].pk)


def _path(indicator) -> str:
    return f"/app/elbasan/monitoring/indicators/{indicator.lineage}/"


def test_the_total_is_the_sum_of_the_values_per_split(split, people):
    value = services.value_record(
        indicator=split,
        user=people["skn_police"],
        period="2026-Q2",
        value=None,
        breakdown={"f": 3, "m": "2.5"},
    )
    value.refresh_from_db()
    assert value.value == Decimal("5.5") and value.breakdown == {"f": "3", "m": "2.5"}
    # A typed total equal to the sum is accepted; one that differs is refused, nothing changed.
    services.value_record(
        indicator=split,
        user=people["skn_police"],
        period="2026-Q2",
        value=Decimal("7"),
        breakdown={"f": 4, "m": 3},
        revision=row_revision(value),
    )
    value.refresh_from_db()
    assert value.breakdown == {"f": "4", "m": "3"} and value.value == Decimal("7")
    with pytest.raises(ValidationError) as refused:
        services.value_record(
            indicator=split,
            user=people["skn_police"],
            period="2026-Q2",
            value=Decimal("9"),
            breakdown={"f": 4, "m": 3},
        )
    assert "value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.value_record(
            indicator=split, user=people["skn_police"], period="2026-Q1", value=None, breakdown={"f": 4}
        )
    assert "split_m" in refused.value.message_dict
    assert IndicatorValue.objects.count() == 1 and IndicatorValue.objects.get().value == Decimal("7")


def test_an_indicator_not_split_takes_no_values_per_split(split, people, elbasan):
    lessons = Indicator.objects.get(
        activity__problem__version__plan__council=elbasan, name="Orë të zhvilluara"
    )
    with pytest.raises(ValidationError) as refused:
        services.value_record(
            indicator=lessons,
            user=people["skn_police"],
            period="2026-06",
            value=Decimal("2"),
            breakdown={"f": 2},
        )
    assert "value" in refused.value.message_dict
    stored = services.value_record(
        indicator=lessons, user=people["skn_police"], period="2026-06", value=Decimal("2")
    )
    assert stored.breakdown == {}


def test_the_indicator_page_asks_a_value_per_split_and_shows_them(client, split, people):
    client.force_login(people["skn_police"])
    path = _path(split)
    page = client.get(path, **EN)
    assert page.status_code == 200
    form = page.context["form"]
    assert [name for name in form.fields if name.startswith("split_")] == ["split_f", "split_m"]
    assert 'name="split_f"' in page.text and "Values by sex" in page.text

    # A total that is not the sum: an error on the total, everything typed still in the form.
    wrong = client.post(
        path,
        {"period": "2026-Q2", "split_f": "12", "split_m": "9", "value": "25", "revision_2026-Q2": ""},
        **EN,
    )
    assert wrong.status_code == 200 and "value" in wrong.context["form"].errors
    assert "is not the sum of the values per split (21)" in wrong.text
    assert 'value="12"' in wrong.text and 'value="9"' in wrong.text and 'value="25"' in wrong.text
    assert not IndicatorValue.objects.exists()
    # A split left empty: an error on it.
    missing = client.post(path, {"period": "2026-Q2", "split_f": "12", "value": ""}, **EN)
    assert "split_m" in missing.context["form"].errors and not IndicatorValue.objects.exists()

    saved = client.post(path, {"period": "2026-Q2", "split_f": "12", "split_m": "9", "value": ""}, **EN)
    assert saved.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("21") and value.breakdown == {"f": "12", "m": "9"}
    shown = client.get(path, **EN).text
    assert "Women and girls: 12" in shown and "Men and boys: 9" in shown
    # "Correct" opens the form with the values per split.
    again = client.get(path, {"period": "2026-Q2"}, **EN).context["form"]
    assert (again.initial["split_f"], again.initial["split_m"]) == ("12", "9")


def test_the_monthly_report_keeps_the_values_per_split_once_approved(split, people, elbasan):
    value = services.value_record(
        indicator=split, user=people["skn_police"], period="2026-Q2", value=None, breakdown={"f": 3, "m": 2}
    )
    row = next(i for i in selectors.report_data(elbasan, 2026, 6)["indicators"] if i["name"] == "Patrullime")
    assert (row["value"], row["split"], row["breakdown"]) == ("5", "sex", {"f": "3", "m": "2"})
    with translation.override("en"):
        table = render_to_string("monitoring/partials/_report_indicators.html", {"rows": [row]})
    assert "Women and girls: 3" in table and "Men and boys: 2" in table

    report = services.report_start(council=elbasan, year=2026, month=6)
    services.report_update(report=report, summary="Qershori.", difficulties="", proposals="")
    services.report_submit(report=report, user=people["skn_police"])
    services.report_approve(report=report, user=people["chair"])
    # A later correction of the value changes the live data, not the approved report.
    services.value_record(
        indicator=split,
        user=people["skn_police"],
        period="2026-Q2",
        value=None,
        breakdown={"f": 6, "m": 4},
        revision=row_revision(value),
    )
    report = MonthlyReport.objects.get(pk=report.pk)
    frozen = next(i for i in report.content["indicators"] if i["name"] == "Patrullime")
    assert (frozen["value"], frozen["breakdown"]) == ("5", {"f": "3", "m": "2"})
    live = next(i for i in selectors.report_data(elbasan, 2026, 6)["indicators"] if i["name"] == "Patrullime")
    assert live["breakdown"] == {"f": "6", "m": "4"}
