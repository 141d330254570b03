"""The demo reads as a municipality writes Albanian (issue 25, item 4).

The demo is loaded, then every page is read in Albanian, anonymously and signed in as each demo
account, together with the demo's e-mails and its CSV exports; no page may hold a form of
tests/core/albanian_crawl.py's FORBIDDEN list, nor masculine agreement beside a woman's name."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client

from councils.models import Council, Person, PersonGender
from kvsp.core.demo import DEMO_USERS
from kvsp.notify.models import OutboxMessage

from .albanian_crawl import crawl, pattern_of, problems, visible_text

# Forms no translation may hold, whatever the page: the crawl finds them only where the demo goes.
CATALOGUE_FORBIDDEN = [
    (r"\bdraft", "English “draft”"),
    (r"konsultativ", "the guide's “konsultues/konsultuese”"),
    (r"Publike (të |i )?%\(council\)s", "“i/të Bashkisë %(council)s”: the name alone after “Publike”"),
    (r"\b(këshillit|këshillin|këshilli|KVSP) (të |e |i )?%\(council\)s", "a bare name after its noun"),
    (r"\bnë %\((place|kind|meeting)\)s", "“në” before a phrase in the nominative"),
]


def test_the_catalogue_holds_no_forbidden_form():
    catalogue = Path(settings.BASE_DIR) / "locale" / "sq" / "LC_MESSAGES" / "django.po"
    found = []
    for entry in polib.pofile(str(catalogue)):
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts if not entry.obsolete else []:
            found += [f"{why}: {text!r}" for pattern, why in CATALOGUE_FORBIDDEN if re.search(pattern, text)]
    assert not found, "\n".join(found)


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["kvsp_language"] = "sq"
    if user is not None:
        client.force_login(user)
    return client


# The demo's councils first: a page pattern is read at most twice, so these must come before the
# 58 empty councils reached from the home page.
DEMO_COUNCILS = ["elbasan", "librazhd", "belsh"]


def _starts() -> list[str]:
    return ["/", *(f"/{slug}/" for slug in DEMO_COUNCILS), "/app/"]


def _slugs() -> frozenset[str]:
    return frozenset(Council.objects.values_list("municipality__slug", flat=True))


def _report(found) -> str:
    """One line per form and page pattern (with how often and one snippet), most frequent first."""
    groups: dict[tuple[str, str], list] = {}
    for f in found:
        who, _, url = f.where.partition(" ")
        groups.setdefault((f.why, pattern_of(url or who)), []).append(f)
    lines = [
        f"{len(items)}× {why} — {items[0].where}\n    …{items[0].snippet}…"
        for (why, _pattern), items in sorted(groups.items(), key=lambda item: -len(item[1]))
    ]
    return "\n".join(lines[:80]) + (f"\n… and {len(lines) - 80} more groups" if len(lines) > 80 else "")


@pytest.mark.django_db
@pytest.mark.xdist_group("albanian_crawl")  # minutes long: alone on one xdist worker
def test_the_demo_reads_as_albanian_written_by_a_municipality():
    mail.outbox = []
    call_command("load_demo", verbosity=0)
    women = set(Person.objects.filter(gender=PersonGender.WOMAN).values_list("full_name", flat=True))
    assert women, "the demo records the genders of its people"
    people = set(Person.objects.values_list("full_name", flat=True))
    found, crawled, exports = [], 0, 0

    users = get_user_model().objects.filter(email__in=[row[0] for row in DEMO_USERS])
    for user in [None, *users]:
        result = crawl(_client(user), _starts(), slugs=_slugs())
        who = user.email if user else "anonymous"
        crawled += len(result.pages)
        exports += sum(page.kind == "csv" for page in result.pages)
        errors = {url: status for url, status in result.statuses.items() if status >= 500}
        assert not errors, f"{who}: {errors}"
        for page in result.pages:
            found += problems(f"{who} {page.url}", page.text, women, people)

    messages = list(OutboxMessage.objects.all())
    for message in messages:
        text = f"{message.subject}\n{message.text}\n{visible_text(message.html)}"
        found += problems(f"e-mail {message.kind} to {message.email}", text, women, people)
    for message in mail.outbox:
        found += problems(
            f"sent e-mail {message.subject!r}", f"{message.subject}\n{message.body}", women, people
        )

    print(f"read {crawled} pages ({exports} CSV exports) and {len(messages) + len(mail.outbox)} e-mails")
    assert crawled > 100 and messages, "the crawl reached the demo's pages and e-mails"
    assert not found, _report(found)
