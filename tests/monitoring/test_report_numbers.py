"""A monthly report numbers each activity as the working board and the reminders do (1.4.2); a
report approved before the number was stored still shows its problem's number."""

import re

from django.template.loader import render_to_string

ROW = {
    "problem": "1.4",
    "text": "Orë edukative ligjore në shkolla",
    "lead": "Prokuroria e Rrethit Gjyqësor Elbasan",
    "status": "in_progress",
    "progress": 40,
    "updated_on": "2027-01-12",
    "note": "",
    "missed": [],
}


def _numbers(rows) -> list[str]:
    html = render_to_string(
        "monitoring/partials/_report_activities.html",
        {"rows": rows, "section_id": "in-progress", "caption": "Në zbatim", "overdue": False},
    )
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', html)


def test_an_activity_is_numbered_as_on_the_board():
    assert _numbers([{**ROW, "number": "1.4.2"}]) == ["1.4.2"]


def test_a_report_stored_before_the_number_shows_the_problem():
    assert _numbers([ROW]) == ["1.4"]
