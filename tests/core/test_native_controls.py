"""Native controls in the user's language (issue 25, item 5): dates and times are typed as text in
the form municipal documents use (dd.mm.vvvv, hh:mm) and read by the server, whatever the browser's
language; file inputs carry the project's control; forms leave validation to the server (novalidate),
which answers in the user's language and keeps what was typed."""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

from councils.forms import EndForm
from councils.meetings.invitation_forms import MoveForm
from councils.models import Role
from kvsp.core import widgets
from tests.factories import UserFactory, council, give_role

ROOT = Path(__file__).resolve().parents[2]
TIRANE = ZoneInfo("Europe/Tirane")
APPS = ("kvsp", "councils", "consultations", "plans", "monitoring")


@pytest.mark.parametrize("language", ["sq", "en"])
@pytest.mark.parametrize("typed", ["04.03.2026", "4.3.2026", " 04.03.2026 ", "04/03/2026", "2026-03-04"])
def test_a_date_is_read_as_typed_day_first(language, typed):
    with translation.override(language):
        form = EndForm({"end_date": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["end_date"] == date(2026, 3, 4)


@pytest.mark.parametrize("language", ["sq", "en"])
@pytest.mark.parametrize(
    "typed",
    ["15.07.2026 18:00", "15.7.2026 18:00", "15.07.2026 18.00", "15/07/2026 18:00", "2026-07-15T18:00"],
)
def test_a_date_and_time_is_read_as_typed(language, typed):
    with translation.override(language):
        form = MoveForm({"starts_at": typed, "place": "Salla e këshillit"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime(2026, 7, 15, 18, 0, tzinfo=TIRANE)


@pytest.mark.parametrize("typed", ["31.02.2026", "04.13.2026", "03/31/2026", "4 mars", "04.03.26", "0403202"])
def test_a_date_that_is_no_date_is_refused_in_albanian_and_kept(typed):
    """A day that does not exist, a month-first date, a word: the form's own message, in Albanian,
    and the box keeps the text as typed."""
    with translation.override("sq"):
        form = EndForm({"end_date": typed})
        assert not form.is_valid()
        message = form.errors["end_date"][0]
        html = str(form["end_date"])
    with translation.override("en"):
        english = str(forms.DateField().error_messages["invalid"])
    assert message != english and message == "Jepni një datë të vlefshme."
    assert f'value="{typed.strip()}"' in html or f'value="{typed}"' in html


def test_a_date_and_time_that_is_no_time_is_refused_and_kept():
    with translation.override("sq"):
        form = MoveForm({"starts_at": "15.07.2026 25:00", "place": "Salla"})
        assert not form.is_valid()
        html = str(form["starts_at"])
    assert form.errors["starts_at"] and 'value="15.07.2026 25:00"' in html


@pytest.mark.parametrize("typed", ["15.07.2026", "15.7.2026", "15/07/2026", "2026-07-15", " 15.07.2026 "])
def test_a_day_without_a_time_is_refused_never_read_as_midnight(typed):
    with translation.override("en"):
        form = MoveForm({"starts_at": typed, "place": "Salla"})
        assert not form.is_valid()
        assert form.errors["starts_at"] == ["Enter a time too, as hh:mm."]
        html = str(form["starts_at"])
    assert f'value="{typed}"' in html or f'value="{typed.strip()}"' in html


@pytest.mark.parametrize(
    ("form_class", "name", "typed", "extra"),
    [
        (EndForm, "end_date", "05.03.0026", {}),
        (EndForm, "end_date", "0026-03-05", {}),
        (EndForm, "end_date", "31.12.1899", {}),
        (MoveForm, "starts_at", "05.03.0026 18:00", {"place": "Salla"}),
        (MoveForm, "starts_at", "31.12.1899 18:00", {"place": "Salla"}),
    ],
)
def test_a_year_before_1900_is_refused_and_kept(form_class, name, typed, extra):
    with translation.override("en"):
        form = form_class({name: typed, **extra})
        assert not form.is_valid()
        assert form.errors[name] == ["Give a year from 1900 on."]
        assert f'value="{typed}"' in str(form[name])
    with translation.override("en"):
        assert EndForm({"end_date": "01.01.1900"}).is_valid()


def test_the_date_box_is_text_with_its_format_shown_and_described():
    with translation.override("en"):
        html = str(EndForm(initial={"end_date": date(2026, 3, 4)})["end_date"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert "inputmode" not in html and 'placeholder="dd.mm.yyyy"' in html  # iOS: no '.' on "numeric"
    assert 'value="04.03.2026"' in html  # the day first, as typed
    assert 'aria-describedby="id_end_date_format"' in html
    assert re.search(r'<span [^>]*id="id_end_date_format"[^>]*>dd\.mm\.yyyy</span>', html)
    with translation.override("en"):
        moved = str(MoveForm(initial={"starts_at": datetime(2026, 7, 15, 18, 0, tzinfo=TIRANE)})["starts_at"])
    assert 'value="15.07.2026 18:00"' in moved and 'placeholder="dd.mm.yyyy hh:mm"' in moved
    assert 'type="datetime-local"' not in moved


def test_a_disabled_file_input_shows_its_button_disabled():
    class Upload(forms.Form):
        document = forms.FileField(disabled=True)
        other = forms.FileField()

    with translation.override("en"):
        form = Upload()
        disabled, enabled = str(form["document"]), str(form["other"])
    assert re.search(r'class="[^"]*kvsp-file-button disabled"[^>]*data-kvsp-file-button', disabled)
    assert "data-kvsp-file" in enabled and "kvsp-file-button disabled" not in enabled


def _form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            leaf = module.name.rsplit(".", 1)[-1]
            if "forms" in leaf or "views" in leaf:
                importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    seen = set()
    for cls in [*below(forms.Form), *below(forms.ModelForm)]:
        if cls.__module__.split(".")[0] in APPS and cls not in seen:
            seen.add(cls)
            yield cls


# The admin's forms keep the admin's own date widgets (its calendar and clock).
ADMIN_FORMS = {"AdminUserChangeForm", "AdminUserCreationForm"}
BOXES = (
    (forms.DateTimeField, widgets.DateTimeInput),
    (forms.DateField, widgets.DateInput),
    (forms.TimeField, widgets.TimeInput),
)
# The project's fields: a day alone in a date-and-time box and a year before 1900 are refused.
FIELDS = {forms.DateTimeField: widgets.DateTimeField, forms.DateField: widgets.DateField}


def test_every_date_and_time_field_of_the_apps_uses_the_typed_box():
    checked = []
    for cls in _form_classes():
        if cls.__name__ in ADMIN_FORMS:
            continue
        for name, field in cls.base_fields.items():
            expected = next((box for kind, box in BOXES if isinstance(field, kind)), None)
            if expected is not None:
                where = f"{cls.__module__}.{cls.__name__}.{name}"
                assert isinstance(field.widget, expected), where
                kind = next(kind for kind, _box in BOXES if isinstance(field, kind))
                assert isinstance(field, FIELDS.get(kind, kind)), where
                checked.append(name)
    assert len(checked) >= 15  # the councils', meetings', consultations', plans' and monitoring's dates


FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)
HAS_FIELDS = re.compile(
    r"\{\{\s*(form|field)\b|as_crispy_field|\{%\s*crispy|\{%\s*include|<select|<textarea"
    r'|<input(?![^>]*type="hidden")[^>]*>',
    re.S,
)


def test_every_form_with_fields_leaves_validation_to_the_server():
    """The browser's own bubbles (required, e-mail, number) speak the browser's language and hide
    the form's messages: every form with fields says novalidate."""
    missing, counted = [], 0
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in FORM_TAG.finditer(text):
            end = text.find("</form>", match.end())
            body = text[match.end() : end if end > 0 else len(text)]
            if HAS_FIELDS.search(body):
                counted += 1
                if "novalidate" not in match.group(0):
                    missing.append(f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}")
    assert counted > 30
    assert missing == []


@pytest.mark.django_db
def test_a_real_form_page_has_the_typed_dates_the_file_control_and_novalidate(client):
    elbasan = council("elbasan")
    user = UserFactory(language="en")
    give_role(elbasan, Role.SECRETARY, user=user)
    client.force_login(user)
    client.cookies["kvsp_language"] = "en"
    page = client.get("/app/elbasan/settings/").content.decode()
    form = re.search(r'<form\b[^>]*enctype="multipart/form-data"[^>]*>', page) or re.search(
        r"<form\b[^>]*method=\"post\"[^>]*>", page
    )
    assert form and "novalidate" in form.group(0)
    dates = re.findall(r'<input [^>]*name="(?:founding_decision_date|regulation_approval_date)"[^>]*>', page)
    assert len(dates) == 2
    assert all('type="text"' in tag and 'placeholder="dd.mm.yyyy"' in tag for tag in dates)
    assert 'id="id_regulation_approval_date_format"' in page
    assert 'type="date"' not in page
    assert "data-kvsp-file" in page and "Choose a file" in page and "No file chosen" in page
    assert re.search(r'<input type="file" name="regulation_document"', page)


@pytest.mark.django_db
def test_a_refused_date_comes_back_in_albanian_with_the_other_fields_kept(client):
    elbasan = council("elbasan")
    user = UserFactory(language="sq")
    give_role(elbasan, Role.SECRETARY, user=user)
    client.force_login(user)
    response = client.post(
        "/app/elbasan/settings/",
        {
            "status": "active",
            "chair_holder": "mayor",
            "regulation_approval_number": "45",
            "regulation_approval_date": "31.02.2021",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jepni një datë të vlefshme." in page
    assert 'value="31.02.2021"' in page and 'value="45"' in page
    ok = client.post(
        "/app/elbasan/settings/",
        {
            "status": "active",
            "chair_holder": "mayor",
            "regulation_approval_number": "45",
            "regulation_approval_date": "25.3.2021",
        },
    )
    assert ok.status_code == 302
    elbasan.refresh_from_db()
    assert elbasan.regulation_approval_date == date(2021, 3, 25)
