"""Albanian first: the catalogue is complete and current, and Albanian is what a visitor gets."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "sq" / "LC_MESSAGES" / "django.po"

# msgids whose Albanian is the same word: names, acronyms and loanwords.
SAME_IN_ALBANIAN = {"KVSP", "SKN", "E-mail", "e-mail", "PDF"}


def _entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_albanian_catalogue_is_complete():
    problems = []
    for entry in _entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not all(t.strip() for t in translations):
            problems.append(f"untranslated: {entry.msgid!r}")
        elif entry.msgstr == entry.msgid and entry.msgid not in SAME_IN_ALBANIAN:
            problems.append(f"same as English: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_catalogue_keeps_placeholders():
    """A translation that drops or renames %(name)s would crash or mislead at run time."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in _entries():
        wanted = sorted(placeholder.findall(entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert sorted(placeholder.findall(text)) == wanted or entry.msgid_plural, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext (xgettext) is not installed")
def test_catalogue_holds_every_marked_string(tmp_path):
    """Run makemessages on a copy of the code: every marked string must already be in the .po."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", ".git", "tests", "__pycache__", "*.mo", ".pytest_cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sq",
            "--no-location",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=var",
            "--ignore=tests",
            "-v0",
        ],
        cwd=copy,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "kvsp.settings.test", "PATH": "/usr/bin:/bin"},
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/sq/LC_MESSAGES/django.po")) if not e.obsolete}
    known = {e.msgid for e in _entries()}
    assert fresh - known == set(), "run makemessages -l sq and translate: " + repr(sorted(fresh - known))


@pytest.mark.django_db
def test_default_language_is_albanian(client):
    response = client.get("/")
    assert response["Content-Language"] == "sq"
    assert '<html lang="sq">' in response.content.decode()
    assert "Këshillat Vendorë të Sigurisë Publike" in response.content.decode()


@pytest.mark.django_db
def test_browser_language_is_honoured_and_cookie_wins(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "sq"


def test_albanian_date_and_number_formats():
    with translation.override("sq"):
        assert formats.date_format(date(2022, 3, 4), "SHORT_DATE_FORMAT") == "04.03.2022"
        assert formats.date_format(date(2022, 3, 4)) == "4 mars 2022"
        assert formats.number_format(12500.5, 1, use_l10n=True, force_grouping=True) == "12\xa0500,5"
    with translation.override("en"):
        assert formats.date_format(date(2022, 3, 4), "SHORT_DATE_FORMAT") == "04/03/2022"
