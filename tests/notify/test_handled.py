"""Handled notices (kvsp/notify): ``withdraw`` marks the notices of a step that was done handled
(and read); the centre lists only those still asking for something unless asked for the handled
ones too, marks those as handled, never counts them, and opening one goes to its address."""

import pytest
from django.utils.translation import gettext as _

from kvsp.notify import services as notify
from kvsp.notify.models import Notification
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _item(user, key):
    return notify.Pending(
        user=user,
        kind=Reminder.REPORT_WAITING,
        key=key,
        render=lambda: {"subject": _("Notifications"), "lines": [key], "url": "/app/elbasan/monitoring/"},
    )


@pytest.fixture
def chair():
    user = UserFactory(language="en")
    notify.notify([_item(user, "report_waiting:1:a"), _item(user, "report_waiting:2:a")])
    return user


def test_withdraw_marks_the_notices_handled_and_read(chair):
    read_before = Notification.objects.get(key__startswith="report_waiting:2:")
    notify.mark_read(user=chair, notification_id=read_before.pk)
    read_at = Notification.objects.get(pk=read_before.pk).read_at
    notify.withdraw("report_waiting:1:")
    notify.withdraw("report_waiting:2:")
    handled = Notification.objects.get(key__startswith="report_waiting:1:")
    assert handled.handled_at is not None and handled.read_at is not None
    # A notice read before is handled too; its reading time stays.
    again = Notification.objects.get(pk=read_before.pk)
    assert again.handled_at is not None and again.read_at == read_at
    first = handled.handled_at
    notify.withdraw("report_waiting:1:")  # withdrawing again changes nothing
    assert Notification.objects.get(pk=handled.pk).handled_at == first


def test_the_centre_hides_handled_ones_unless_asked_and_never_counts_them(client, chair):
    client.force_login(chair)
    assert client.get("/app/").context["unread_notifications"] == 2
    notify.withdraw("report_waiting:1:")
    page = client.get("/app/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    keys = [n.key for n in page.context["page"].object_list]
    assert keys == [f"report_waiting:2:a:{chair.pk}"]
    assert page.context["unread_notifications"] == 1
    assert "?handled=1" in page.content.decode()
    assert "Show handled ones too" in page.content.decode()

    everything = client.get("/app/notifications/?handled=1", HTTP_ACCEPT_LANGUAGE="en")
    listed = {n.key: n for n in everything.context["page"].object_list}
    assert set(listed) == {f"report_waiting:1:a:{chair.pk}", f"report_waiting:2:a:{chair.pk}"}
    html = everything.content.decode()
    assert "kvsp-handled" in html and ">handled<" in html and "handled on" in html
    assert "Hide handled ones" in html

    # Opening a handled notice goes to its address, never to an error.
    handled = Notification.objects.get(key__startswith="report_waiting:1:")
    opened = client.post(f"/app/notifications/{handled.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/app/elbasan/monitoring/"


def test_mark_all_read_leaves_nothing_counted(client, chair):
    client.force_login(chair)
    notify.withdraw("report_waiting:")
    assert client.get("/app/").context["unread_notifications"] == 0
    assert not Notification.objects.filter(user=chair).unread().exists()
    assert Notification.objects.filter(user=chair).unhandled().count() == 0
