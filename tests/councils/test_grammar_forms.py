"""Albanian as a municipality writes it: names in their grammatical forms, agreement with a
person's recorded gender (issue 25, item 4)."""

import pytest
from django.utils import translation

from councils.meetings.models import Attendance
from councils.models import Municipality, PersonGender, Role
from tests.factories import council, give_role

pytestmark = pytest.mark.django_db


def test_every_municipality_has_its_forms_from_the_reference_data():
    assert not Municipality.objects.filter(genitive="").exists()
    assert not Municipality.objects.filter(definite="").exists()
    elbasan = Municipality.objects.get(slug="elbasan")
    assert (elbasan.gender, elbasan.definite, elbasan.genitive) == ("m", "Elbasani", "Elbasanit")
    kucove = Municipality.objects.get(name="Kuçovë")
    assert (kucove.gender, kucove.definite_name, kucove.genitive_name) == ("f", "Kuçova", "Kuçovës")
    with translation.override("sq"):
        assert elbasan.of_municipality == "Bashkisë Elbasan"


def test_a_form_corrected_by_an_admin_is_what_pages_use_and_a_missing_one_falls_back_to_the_name():
    elbasan = Municipality.objects.get(slug="elbasan")
    elbasan.genitive = ""
    assert elbasan.genitive_name == "Elbasan"


def test_a_womans_role_and_attendance_agree_with_her():
    elbasan = council("elbasan")
    woman = give_role(elbasan, Role.GUEST, full_name="Entela Gjoni")
    man = give_role(elbasan, Role.GUEST, full_name="Ilir Basha")
    unknown = give_role(elbasan, Role.GUEST, full_name="Pa Gjini")
    woman.person.gender, man.person.gender = PersonGender.WOMAN, PersonGender.MAN
    with translation.override("sq"):
        assert woman.get_role_display() == "e ftuar"
        assert man.get_role_display() == "i ftuar"
        assert unknown.get_role_display() == "i ftuar"
        present = Attendance(person=woman.person, status=Attendance.Status.PRESENT)
        assert present.get_status_display() == "e pranishme"
        assert Attendance(person=man.person, status=Attendance.Status.PRESENT).get_status_display() == (
            "i pranishëm"
        )
        assert dict(Attendance.status_choices_for(woman.person))["present"] == "e pranishme"
        assert Attendance(person=woman.person, status="absent").get_status_display() == "mungon"


def test_a_womans_statuses_change_the_present_entry_wherever_it_stands(monkeypatch):
    """The entry is found by its value, not assumed first: the other statuses keep their words."""
    woman = give_role(council("elbasan"), Role.GUEST, full_name="Entela Gjoni").person
    woman.gender = PersonGender.WOMAN
    reordered = list(reversed(Attendance.Status.choices))
    monkeypatch.setattr(type(Attendance.Status), "choices", property(lambda cls: reordered))
    with translation.override("en"):
        choices = Attendance.status_choices_for(woman)
        labels = {value: str(label) for value, label in reordered}
    assert [value for value, _label in choices] == [value for value, _label in reordered]
    assert {value: label for value, label in choices if value != "present"} == {
        value: label for value, label in labels.items() if value != "present"
    }
    assert dict(choices)["present"] == "present"


def test_forms_corrected_in_the_admin_list_move_the_public_pages_on(admin_client):
    """Not left to the safety net (kvsp/portal/apps.py): the admin itself moves the generation on."""
    from kvsp.core import public_cache
    from kvsp.portal import apps as portal_apps

    for signal, uid in portal_apps.SAFETY_NET:
        assert signal.disconnect(dispatch_uid=uid)
    try:
        elbasan = Municipality.objects.get(slug="elbasan")
        before = public_cache.generation()
        response = admin_client.post(
            f"/admin/councils/municipality/{elbasan.pk}/change/",
            {
                "name": elbasan.name,
                "county": str(elbasan.county_id),
                "definite": "Elbasani",
                "genitive": "Elbasanit të ri",
                "gender": "m",
                "_save": "Save",
            },
        )
        assert response.status_code == 302
        elbasan.refresh_from_db()
        assert elbasan.genitive == "Elbasanit të ri"
        assert public_cache.generation() > before
    finally:
        for signal, uid in portal_apps.SAFETY_NET:
            signal.connect(portal_apps._public_rows_changed, weak=False, dispatch_uid=uid)


def test_the_migration_holds_the_forms_itself_the_same_as_the_reference_file():
    """A migration's effect never changes with a file: 0009 writes its rows out; the file (for the
    tests' loader) says the same."""
    import inspect
    from importlib import import_module

    from councils import municipality_forms

    migration = import_module("councils.migrations.0009_municipality_forms_and_person_gender")
    assert list(migration.FORMS) == municipality_forms.rows()
    assert len(migration.FORMS) == 61
    assert "open(" not in inspect.getsource(migration) and '.csv"' not in inspect.getsource(migration)
