"""The admin's copies of third-party files (for the CSP and valid HTML) stay what they copy: when
Django or django-simple-history changes the original, a test here says so."""

from pathlib import Path

import django
import simple_history
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)
ADMIN = Path(django.__file__).parent / "contrib" / "admin"


def _after_comment(text: str) -> str:
    """The file after its first comment (which says what differs from the original, and why)."""
    ends = [(text.find(end), end) for end in ("*/\n", "#}\n", "{% endcomment %}\n") if end in text]
    index, end = min(ends)
    return text[index + len(end) :]


def test_admin_forms_css_is_djangos_without_its_import():
    first, rest = (ADMIN / "static/admin/css/forms.css").read_text(encoding="utf-8").split("\n", 1)
    assert first == "@import url('widgets.css');"
    ours = ROOT / "static/admin/css/forms.css"
    assert _after_comment(ours.read_text(encoding="utf-8")) == rest
    assert Path(finders.find("admin/css/forms.css")) == ours
    assert "admin/css/widgets.css" in (ROOT / "templates/admin/base_site.html").read_text(encoding="utf-8")


def test_history_list_is_simple_historys_without_the_style_attribute():
    original = Path(simple_history.__file__).parent / "templates/simple_history/object_history_list.html"
    expected = (
        original.read_text(encoding="utf-8")
        .replace(' class="paginator" style="border-top: 0"', ' class="paginator"')
        .replace("&nbsp;&rarr;&nbsp;", "&nbsp;→&nbsp;")
    )
    ours = ROOT / "templates/simple_history/object_history_list.html"
    assert _after_comment(ours.read_text(encoding="utf-8")) == expected
