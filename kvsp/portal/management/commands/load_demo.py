"""Load demonstration data. Idempotent: a second run changes nothing.

It lives in the portal, the one package that may import every app; each app keeps its own
part in a ``demo.py`` module.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from consultations import demo as consultations_demo
from councils import demo as councils_demo
from councils.meetings import demo as meetings_demo
from kvsp.core import demo as core_demo
from kvsp.portal import demo as portal_demo
from kvsp.portal.management.commands.demo_accounts import write_accounts
from monitoring import demo as monitoring_demo
from monitoring import demo_annual, demo_compliance, demo_living, demo_reminders
from plans import demo as plans_demo


class Command(BaseCommand):
    help = "Create or refresh the demonstration data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = core_demo.load()
        councils = councils_demo.load()
        meetings = meetings_demo.load()
        # The council meetings that approve the plans come before the consultations, so that a
        # consultation finds the council meeting that follows it; the plans come after them.
        meetings += plans_demo.load_meetings()
        consultations = consultations_demo.load()
        plans = plans_demo.load()
        # A year of monitoring on the 2022 plan, with its twelve published monthly reports.
        monitoring = monitoring_demo.load()
        # Councils in different states of compliance in 2022: Elbasan keeps the whole rhythm.
        monitoring += demo_compliance.load()
        # Elbasan's annual report of 2022, approved by the chair and published.
        monitoring += demo_annual.load()
        # This year's cycle around today: Elbasan keeps the rhythm, Belsh struggles.
        monitoring += demo_living.load()
        # Today's reminders, in the demo people's notification centres (and e-mails once the
        # worker runs).
        monitoring += demo_reminders.load()
        # Citizens who follow a council by e-mail (confirmed subscriptions).
        consultations += portal_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({users} users, {councils} council records, {meetings} meetings, "
                f"{consultations} consultation records, {plans} plan records, {monitoring} monitoring "
                "records created)."
            )
        )
        if options["verbosity"] >= 1:
            # `make demo` passes -v0 and prints these last, once the server answers (demo_accounts).
            write_accounts(self.stdout)
