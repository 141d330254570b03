"""Print the demo's accounts and a few addresses worth opening: `make demo` prints them last, once
the web server answers (scripts/run-demo.sh), so that nothing buries them."""

from django.conf import settings
from django.core.management.base import BaseCommand, OutputWrapper
from django.utils import timezone

from kvsp.core import demo as core_demo


def write_accounts(out: OutputWrapper) -> None:
    """The demo's addresses and accounts, built on settings.SITE_URL (KVSP_SITE_URL)."""
    site, year = settings.SITE_URL, timezone.localdate().year
    out.write(f"The home page: {site}/")
    out.write(
        f"This year's cycle, {year}, so far (Elbasan keeps the rhythm, Belsh struggles): {site}/compliance/"
    )
    out.write(f"Elbasan's published monthly reports of 2022: {site}/elbasan/reports/")
    out.write(f"How the councils kept the regulation's rhythm in 2022: {site}/compliance/?year=2022")
    out.write(f"Demo accounts (password for all: {core_demo.DEMO_PASSWORD}):")
    for email, full_name, role, *_flags in core_demo.DEMO_USERS:
        out.write(f"  {email:<34} {full_name:<16} {role}")
    if not settings.KVSP_REQUIRE_2FA:
        out.write("Two-factor authentication is off in the demo; set KVSP_REQUIRE_2FA=true to require it.")


class Command(BaseCommand):
    help = "Print the demo's accounts (password, roles) and a few addresses to open."

    def handle(self, *args, **options):
        write_accounts(self.stdout)
