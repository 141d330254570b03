"""Load demonstration data. Idempotent: a second run changes nothing.

It lives in the portal, the one package that may import every app; each app keeps its own
part in a ``demo.py`` module.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from consultations import demo as consultations_demo
from councils import demo as councils_demo
from councils.meetings import demo as meetings_demo
from kvsp.core import demo as core_demo
from kvsp.portal import demo as portal_demo
from monitoring import demo as monitoring_demo
from monitoring import demo_compliance, demo_reminders
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
            self.stdout.write(
                f"Elbasan's published monthly reports of 2022: {settings.SITE_URL}/elbasan/reports/"
            )
            self.stdout.write(
                "How the councils kept the regulation's rhythm in 2022: "
                f"{settings.SITE_URL}/compliance/?year=2022"
            )
            self.stdout.write(f"Demo accounts (password for all: {core_demo.DEMO_PASSWORD}):")
            for email, full_name, role, *_flags in core_demo.DEMO_USERS:
                self.stdout.write(f"  {email:<34} {full_name:<16} {role}")
            if not settings.KVSP_REQUIRE_2FA:
                self.stdout.write(
                    "Two-factor authentication is off in the demo; set KVSP_REQUIRE_2FA=true to require it."
                )
