"""The vocabulary of the authorization matrix: principals, expected-answer helpers and the answers
shared by many pages. Rows live in matrix.py and, per app, in tests/authz/rows_*.py."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ANON, USER, OBSERVER, ADMIN = "anonymous", "user", "observer", "platform_admin"
MEMBER, GUEST, SECRETARY, CHAIR = "member", "guest", "secretary", "chair"
SKN_MUNICIPALITY, SKN_POLICE, SKN_PROSECUTION = "skn_municipality", "skn_police", "skn_prosecution"
COUNCIL_PRINCIPALS = (MEMBER, GUEST, SKN_MUNICIPALITY, SKN_POLICE, SKN_PROSECUTION, SECRETARY, CHAIR)
PRINCIPALS = (ANON, USER, *COUNCIL_PRINCIPALS, OBSERVER, ADMIN)


def same(code: int) -> dict[str, int]:
    return dict.fromkeys(PRINCIPALS, code)


def by(anonymous: int, user: int, platform_admin: int, *, observer: int | None = None) -> dict[str, int]:
    """Pages outside councils: every council role answers like a plain signed-in user."""
    signed_in = dict.fromkeys((*COUNCIL_PRINCIPALS, USER), user)
    return {
        ANON: anonymous,
        **signed_in,
        OBSERVER: user if observer is None else observer,
        ADMIN: platform_admin,
    }


def roles(
    *,
    anonymous: int,
    user: int,
    member: int,
    guest: int,
    skn: int,
    secretary: int,
    chair: int,
    observer: int,
    admin: int,
) -> dict[str, int]:
    """One council page: the answer for each principal, the three SKN seats alike."""
    return {
        ANON: anonymous,
        USER: user,
        MEMBER: member,
        GUEST: guest,
        SKN_MUNICIPALITY: skn,
        SKN_POLICE: skn,
        SKN_PROSECUTION: skn,
        SECRETARY: secretary,
        CHAIR: chair,
        OBSERVER: observer,
        ADMIN: admin,
    }


def elsewhere(own: dict[str, int]) -> dict[str, int]:
    """The same page of another council: council roles don't reach it (404, never a 403 that
    confirms it exists); anonymous, national observer and platform admin answer as in their own."""
    return {**own, **dict.fromkeys((USER, *COUNCIL_PRINCIPALS), 404)}


def case(pattern: str, what: str) -> str:
    """A further row of one URL pattern, on another object or in another state:
    "monitoring:report [draft]" is the pattern "monitoring:report" tried on a draft report."""
    return f"{pattern} [{what}]"


def pattern_of(key: str) -> str:
    """The URL pattern a row's key is about (its name without the bracketed case)."""
    return key.split(" [", 1)[0]


@dataclass
class Row:
    get: dict[str, int]
    post: dict[str, int]
    path: Callable[[dict], str] | str = ""
    # For council pages: the address of the same page in the other council.
    other_path: Callable[[dict], str] | None = None
    # What a POST carries, built from the council's pages (matrix_ctx.CouncilPages) where it is
    # sent; without it a POST carries no data.
    data: Callable[[Any], dict] | None = None


def council_row(get: dict[str, int], post: dict[str, int], page: str) -> Row:
    """A page under /app/<municipality>/..., tried in the own and in the other council.
    ``page`` may name objects of the council: {seat} and {membership}."""
    return Row(get, post, lambda ctx: ctx["own"].path(page), lambda ctx: ctx["other"].path(page))


def council_form_row(
    get: dict[str, int], post: dict[str, int], page: str, data: Callable[[Any], dict]
) -> Row:
    """A council page (as council_row) whose POST carries valid data: ``data`` gets the pages of
    the council it is sent to (so an update's ``seen`` or a report's month are that council's)."""
    return Row(get, post, lambda ctx: ctx["own"].path(page), lambda ctx: ctx["other"].path(page), data)


# Staff pages of the admin: only the platform admin; everyone else is sent to the admin login.
ADMIN_ONLY = by(302, 302, 200)

# Who may do what in a council (DESIGN.md "Roles"):
READ = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=200, admin=200
)
READ_POST = roles(
    anonymous=302, user=404, member=405, guest=403, skn=405, secretary=405, chair=405, observer=405, admin=405
)
# The technical secretary keeps the composition records (and the platform admin can step in).
MANAGE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=403, observer=403, admin=200
)
# Giving and ending roles: the secretary (members and guests) and the chair (every role).
ADD_MEMBER = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=200, observer=403, admin=200
)
# Council details: the secretary and the chair.
CHANGE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=200, observer=403, admin=200
)
# Inviting is a POST that redirects back; a GET is not a thing (405) for those allowed at all.
INVITE_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=405, chair=403, observer=403, admin=405
)
# Meetings (council meeting of the own council, held, with a draft agenda and draft minutes):
# planned, recorded and written up by the technical secretary.
MANAGE_MEETING = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=403, observer=403, admin=200
)
ADD_DOCUMENT = MANAGE_MEETING
DRAFT_PDF = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
# A document seen by "the council": members and the observer, not an invited guest.
DOCUMENT_GET = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=200, admin=200
)
NO_POST = roles(
    anonymous=302, user=404, member=405, guest=405, skn=405, secretary=405, chair=405, observer=405, admin=405
)
NO_INVITATION = roles(
    anonymous=302, user=404, member=404, guest=403, skn=404, secretary=404, chair=404, observer=404, admin=404
)
# Agreeing the agenda is the SKN's (POST only: a GET is 405 for those allowed).
# The SKN agrees an agenda by one of its members: a platform admin cannot record it for them.
AGREE_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=403, chair=403, observer=403, admin=403
)
AGREE_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=403, chair=403, observer=403, admin=403
)
# Council minutes are approved (or returned) by the chair only: not even a platform admin. The
# approval page opens in every state (here the minutes are a draft: it says so); approving a draft
# is refused on the page (200), as is a return without a comment.
APPROVE_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=200, observer=403, admin=403
)
APPROVE_POST = APPROVE_GET
INVITE_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=302, chair=403, observer=403, admin=302
)
# Consultations: planned, announced and recorded by the technical secretary (as meetings).
MANAGE_CONSULTATION = MANAGE_MEETING
# Announcing and recording participation end in a redirect back to the consultation.
MANAGE_CONSULTATION_DONE = INVITE_POST
# Grouping concerns into problems and assessing their risk: the SKN (and the platform admin).
PRIORITISE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=403, chair=403, observer=403, admin=200
)
# Moderation, the original wording and the citizen's contact: the secretary and the SKN of that
# council only; not the chair, the observer, nor even a platform admin (Law 124/2024).
MODERATE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=403
)
MODERATE_NO_METHOD = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=403, observer=403, admin=403
)
MODERATE_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=302, chair=403, observer=403, admin=403
)
