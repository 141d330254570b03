"""Decisions were numbered per meeting; they are now numbered per council and year, as the council's
register numbers them ("Vendimi nr. 3/2026"). Each decision takes its meeting's council and year,
and the decisions of a council's year are numbered again in the order they were taken (meeting
time, then their number within the meeting). Invitations already sent were sent by e-mail."""

from django.db import migrations
from django.utils import timezone


def number_per_council_year(apps, schema_editor):
    Decision = apps.get_model("meetings", "Decision")
    Invitation = apps.get_model("meetings", "Invitation")
    decisions = list(Decision.objects.select_related("meeting").order_by("meeting__starts_at", "meeting_id", "number"))
    for decision in decisions:  # out of the way first: no two rows ever share a number
        decision.council_id = decision.meeting.council_id
        decision.year = timezone.localtime(decision.meeting.starts_at).year
        decision.number += 1_000_000
    Decision.objects.bulk_update(decisions, ["council", "year", "number"])
    counters: dict = {}
    for decision in decisions:
        key = (decision.council_id, decision.year)
        counters[key] = counters.get(key, 0) + 1
        decision.number = counters[key]
    Decision.objects.bulk_update(decisions, ["number"])
    Invitation.objects.filter(sent_at__isnull=False).update(reached_by="email")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_decisions_per_council_year_minutes_steps_reach")]

    operations = [migrations.RunPython(number_per_council_year, migrations.RunPython.noop)]
