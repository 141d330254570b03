"""The addresses `make demo` prints last (demo_accounts): this year's cycle and the home page first."""

from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import override_settings

from kvsp.core import demo as core_demo


@time_machine.travel("2026-06-15 09:00:00+02:00", tick=False)
@override_settings(SITE_URL="http://[::1]:8000")
def test_demo_accounts_point_at_this_year_and_the_home_page():
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "The home page: http://[::1]:8000/"
    assert "2026" in lines[1] and lines[1].endswith(" http://[::1]:8000/compliance/")
    assert any(line.endswith("/compliance/?year=2022") for line in lines)
    for email, *_rest in core_demo.DEMO_USERS:
        assert any(email in line for line in lines)
