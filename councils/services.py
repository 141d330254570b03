"""Writes on councils: composition (institutions), memberships, invitations and CSV imports.

Each function validates before it writes and raises ``ValidationError`` with a message for the
user; nothing is saved half-way. A unique rule broken by a parallel request becomes a message too.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kvsp.core import public_cache
from kvsp.core import services as core_services
from kvsp.core.text import fold

from .models import (
    SINGLE_HOLDER_ROLES,
    Council,
    CouncilInstitution,
    Institution,
    Membership,
    Person,
    PersonGender,
    Role,
    today,
)
from .predicates import forget_council_roles

T = TypeVar("T")


def _create(make: Callable[[], T]) -> T:
    """Run a create; a unique rule taken in the meantime by another request becomes a message."""
    try:
        with transaction.atomic():
            return make()
    except IntegrityError as error:
        raise ValidationError(_("Someone saved the same record in the meantime. Reload the page.")) from error


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end <= start:
        raise ValidationError({"end_date": _("The end date must be after the start date.")})


@transaction.atomic
@public_cache.invalidates
def seat_add(
    *,
    council: Council,
    institution: Institution | None = None,
    name: str = "",
    category: str = "",
    start_date: date | None = None,
) -> CouncilInstitution:
    """Add an institution to a council's composition, creating the institution if it is new."""
    start_date = start_date or today()
    if institution is None:
        name = " ".join(name.split())
        if not name or not category:
            raise ValidationError(
                _("Choose an existing institution or give the name and category of a new one.")
            )
        county = council.municipality.county
        institution = Institution.objects.filter(name__iexact=name, county=county).first() or _create(
            lambda: Institution.objects.create(name=name, category=category, county=county)
        )
    if CouncilInstitution.objects.filter(
        council=council, institution=institution, end_date__isnull=True
    ).exists():
        raise ValidationError(
            _("%(institution)s is already a member of this council."), params={"institution": institution}
        )
    return _create(
        lambda: CouncilInstitution.objects.create(
            council=council, institution=institution, start_date=start_date
        )
    )


@transaction.atomic
@public_cache.invalidates
def seat_end(*, seat: CouncilInstitution, end_date: date) -> CouncilInstitution:
    """End an institution's place in the composition. The record stays in the history.

    Its people's roles are ended first, one by one, so nobody keeps access by oversight.
    """
    if seat.end_date is not None:
        raise ValidationError(_("This institution has already left the council."))
    _check_dates(seat.start_date, end_date)
    holders = (
        Membership.objects.filter(council_id=seat.council_id, institution_id=seat.institution_id)
        .exclude(end_date__lte=end_date)
        .select_related("person")
    )
    if holders:
        raise ValidationError(
            _("First end the roles of %(people)s in this institution."),
            params={"people": ", ".join(sorted({m.person.full_name for m in holders}))},
        )
    seat.end_date = end_date
    seat.save(update_fields=["end_date", "updated_at"])
    return seat


def _person_for(
    *, full_name: str, email: str, phone: str, position: str, institution: Institution, gender: str = ""
) -> Person:
    """The person with this e-mail (one person may sit in several councils), or a new one. A gender
    given is recorded (on a person already known too); a blank one changes nothing.

    An e-mail already recorded under another name is refused rather than reused: the name typed
    must match, so a typo never attaches a role to someone else.
    """
    full_name = " ".join(full_name.split())
    email = email.strip().lower()
    if email:
        person = Person.objects.filter(email__iexact=email).first()
        if person is not None:
            if fold(person.full_name) != fold(full_name):
                raise ValidationError(
                    {
                        "email": _(
                            "This e-mail is recorded for another person. Check the name and the address."
                        )
                    }
                )
            if gender and person.gender != gender:
                person.gender = gender
                person.save(update_fields=["gender", "updated_at"])
            return person
    return _create(
        lambda: Person.objects.create(
            full_name=full_name,
            email=email,
            phone=phone.strip(),
            position=position.strip(),
            institution=institution,
            gender=gender,
        )
    )


def _check_seat_free(council: Council, role: str, start_date: date) -> None:
    if role not in SINGLE_HOLDER_ROLES:
        return
    holders = Membership.objects.filter(council=council, role=role)
    if holders.filter(end_date__isnull=True).exists():
        raise ValidationError(
            {
                "role": _("The seat “%(role)s” already has a holder. End that membership first.")
                % {"role": Role(role).label}
            }
        )
    later = holders.filter(end_date__gt=start_date).order_by("-end_date").first()
    if later is not None and later.end_date is not None:  # (always dated, by the filter)
        raise ValidationError(
            {
                "role": _(
                    "The seat “%(role)s” is held until %(date)s; the new holder can start from that day."
                )
                % {"role": Role(role).label, "date": date_format(later.end_date, "SHORT_DATE_FORMAT")}
            }
        )


@transaction.atomic
@public_cache.invalidates
def membership_add(
    *,
    council: Council,
    institution: Institution,
    role: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    designated_by: str = "",
    gender: str = "",
) -> Membership:
    """Give a person a role in a council, representing an institution of its composition."""
    start_date = start_date or today()
    _check_dates(start_date, end_date)
    if not CouncilInstitution.objects.active().filter(council=council, institution=institution).exists():
        raise ValidationError({"institution": _("Add the institution to the council's composition first.")})
    _check_seat_free(council, role, start_date)
    person = _person_for(
        full_name=full_name,
        email=email,
        phone=phone,
        position=position,
        institution=institution,
        gender=gender,
    )
    if Membership.objects.filter(council=council, person=person, role=role, end_date__isnull=True).exists():
        raise ValidationError(
            _("%(person)s already holds this role in this council."), params={"person": person}
        )
    membership = _create(
        lambda: Membership.objects.create(
            council=council,
            person=person,
            institution=institution,
            role=role,
            start_date=start_date,
            end_date=end_date,
            designated_by=designated_by.strip(),
        )
    )
    if person.user_id:
        forget_council_roles(person.user)
    return membership


@transaction.atomic
@public_cache.invalidates
def membership_end(*, membership: Membership, end_date: date) -> Membership:
    """End a membership; from that day the person's access to the council ends."""
    if membership.end_date is not None and membership.end_date <= today():
        raise ValidationError(_("This membership has already ended."))
    _check_dates(membership.start_date, end_date)
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    return membership


@transaction.atomic
@public_cache.invalidates
def membership_invite(*, membership: Membership, invited_by) -> bool:
    """Give the person an account: link the one their e-mail already has, or create one and e-mail
    them the link to set a password. Returns True when an invitation was sent."""
    person = Person.objects.select_for_update().get(pk=membership.person_id)
    if not person.email:
        raise ValidationError(
            _("Add an e-mail address for %(person)s before inviting them."), params={"person": person}
        )
    existing = get_user_model().objects.filter(email__iexact=person.email).first()
    if existing is not None and Person.objects.filter(user=existing).exclude(pk=person.pk).exists():
        raise ValidationError(_("The account with this e-mail address belongs to another person's record."))
    if existing is not None and existing.has_usable_password():
        if person.user_id != existing.pk:
            person.user = existing
            person.save(update_fields=["user", "updated_at"])
        return False
    user = core_services.user_invite(email=person.email, full_name=person.full_name, invited_by=invited_by)
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return True


# --- CSV import ---------------------------------------------------------------------------------

# Accepted column names: the Albanian header first, then English.
COLUMNS = {
    "full_name": ("emri", "full_name"),
    "email": ("email", "e-mail"),
    "phone": ("telefoni", "phone"),
    "position": ("pozicioni", "position"),
    "institution": ("institucioni", "institution"),
    "role": ("roli", "role"),
    "start_date": ("nga_data", "start_date"),
    "gender": ("gjinia", "gender"),
}
REQUIRED_COLUMNS = ("full_name", "institution", "role")
MAX_IMPORT_ROWS = 500


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    institution: Institution | None = None
    role: str = ""
    start_date: date | None = None
    gender: str = ""


def _role_from_text(text: str) -> str | None:
    """A role from its code or its name in any of the interface languages ("anëtar", "member")."""
    wanted = " ".join(text.split()).lower()
    for role in Role:
        names = {role.value}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(role.label).lower())
        if wanted in names:
            return role.value
    return None


# A person's gender as a file may write it (blank: not known).
GENDER_WORDS = {
    "f": PersonGender.WOMAN,
    "femër": PersonGender.WOMAN,
    "femer": PersonGender.WOMAN,
    "m": PersonGender.MAN,
    "mashkull": PersonGender.MAN,
}


def _gender_from_text(text: str) -> str | None:
    """f/m, "femër"/"mashkull", or the label in an interface language; "" for blank, None if unknown."""
    wanted = " ".join(text.split()).lower()
    if not wanted:
        return ""
    if wanted in GENDER_WORDS:
        return GENDER_WORDS[wanted].value
    for gender in PersonGender:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                if wanted == str(gender.label).lower():
                    return gender.value
    return None


def _parse_import_date(text: str) -> date | None:
    """15.01.2025, 15/01/2025 or 2025-01-15; None for anything else, including 30.02.2025."""
    text = text.strip()
    try:
        for separator in (".", "/"):
            parts = text.split(separator)
            if len(parts) == 3 and all(p.isdecimal() and p.isascii() for p in parts):
                day, month, year = (int(p) for p in parts)
                return date(year, month, day)
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdecimal() and p.isascii() for p in parts):
            year, month, day = (int(p) for p in parts)
            return date(year, month, day)
    except ValueError:
        return None
    return None


def import_parse(
    *, council: Council, content: bytes, allowed_roles: Iterable[str] = tuple(Role)
) -> tuple[list[ImportRow], list[str]]:
    """Read a CSV of members. Returns the rows (each with its own errors) and file-level errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” when saving.")]
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return _read_rows(council, reader, set(allowed_roles))
    except csv.Error:
        return [], [_("The file could not be read as CSV near line %(line)d.") % {"line": reader.line_num}]


def _read_rows(council: Council, reader, allowed_roles: set[str]) -> tuple[list[ImportRow], list[str]]:
    header = [h.strip().lower() for h in next(reader, [])]
    columns = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in header:
                columns[key] = header.index(name)
                break
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        return [], [
            _("Columns missing: %(columns)s. The first row must name the columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(n[0] for n in COLUMNS.values())}
        ]
    seats = {
        ci.institution.name.lower(): ci.institution
        for ci in CouncilInstitution.objects.active().filter(council=council).select_related("institution")
    }
    holding = {
        (email.lower(), role)
        for email, role in Membership.objects.filter(council=council, end_date__isnull=True).values_list(
            "person__email", "role"
        )
        if email
    }
    rows: list[ImportRow] = []
    seen: set[tuple[str, str]] = set()
    taken_roles: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            return [], [_("The file has more than %(max)d rows; split it.") % {"max": MAX_IMPORT_ROWS}]
        values = {key: (raw[index].strip() if index < len(raw) else "") for key, index in columns.items()}
        rows.append(
            _check_row(
                council, ImportRow(line=line, values=values), seats, holding, seen, taken_roles, allowed_roles
            )
        )
    if not rows:
        return [], [_("The file has no rows under its header.")]
    return rows, []


def _check_row(council, row, seats, holding, seen, taken_roles, allowed_roles) -> ImportRow:
    values = row.values
    email = values.get("email", "").lower()
    if not values.get("full_name"):
        row.errors.append(_("The name is missing."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": values["email"]})
    row.institution = seats.get(values.get("institution", "").lower())
    if row.institution is None:
        row.errors.append(
            _("“%(name)s” is not an institution of this council.") % {"name": values.get("institution", "")}
        )
    row.role = _role_from_text(values.get("role", "")) or ""
    if not row.role:
        row.errors.append(
            _("Unknown role “%(role)s”. Use one of: %(roles)s.")
            % {"role": values.get("role", ""), "roles": ", ".join(str(r.label) for r in Role)}
        )
    elif row.role not in allowed_roles:
        row.errors.append(
            _("Only the chair or a platform admin can give the role “%(role)s”.")
            % {"role": Role(row.role).label}
        )
    row.start_date = today()
    if values.get("start_date"):
        row.start_date = _parse_import_date(values["start_date"])
        if row.start_date is None:
            row.errors.append(
                _("“%(date)s” is not a date (write 15.01.2025).") % {"date": values["start_date"]}
            )
    gender = _gender_from_text(values.get("gender", ""))
    if gender is None:
        row.errors.append(
            _("“%(gender)s” is not a gender: write f (femër) or m (mashkull), or leave it blank.")
            % {"gender": values["gender"]}
        )
    row.gender = gender or ""
    who = email or fold(values.get("full_name", ""))
    if row.role and (who, row.role) in seen:
        row.errors.append(_("This person appears twice in the file with the same role."))
    seen.add((who, row.role))
    if email and (email, row.role) in holding:
        row.errors.append(_("This person already holds this role in the council."))
    if row.role in SINGLE_HOLDER_ROLES:
        if row.role in taken_roles:
            row.errors.append(
                _("The file names two holders of the seat “%(role)s”.") % {"role": Role(row.role).label}
            )
        taken_roles.add(row.role)
        if row.start_date:
            try:
                _check_seat_free(council, row.role, row.start_date)
            except ValidationError as error:
                row.errors.extend(error.messages)
    return row


@transaction.atomic
@public_cache.invalidates
def import_apply(*, council: Council, rows: list[ImportRow], invited_by, invite: bool) -> list[Membership]:
    """Create every membership of a checked file, or none (a row with errors stops the whole file)."""
    if any(row.errors for row in rows):
        raise ValidationError(_("Correct the rows with errors first; nothing was saved."))
    created = [
        membership_add(
            council=council,
            institution=row.institution,
            role=row.role,
            full_name=row.values["full_name"],
            email=row.values.get("email", ""),
            phone=row.values.get("phone", ""),
            position=row.values.get("position", ""),
            start_date=row.start_date,
            gender=row.gender,
        )
        for row in rows
    ]
    if invite:
        for membership in created:
            if membership.person.email:
                membership_invite(membership=membership, invited_by=invited_by)
    return created
