"""Authorization rows of task forces (councils/meetings/task_force_views.py), written by hand.

Task forces are called by the chair, or set up for the chair by the technical secretary (regulation
art. 7.3); both invite the outside specialists. The SKN, plain members, invited guests and the
national observer do neither. An empty POST comes back with the form's errors (200)."""

from datetime import timedelta

from tests.authz.matrix_lib import CHANGE, Row, council_row, roles

# Calling a task force and inviting its outside specialists: the chair and the technical secretary.
CALL_TASK_FORCE = CHANGE
INVITE_SPECIALISTS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=200, observer=403, admin=200
)

TITLE = "Familjet e kthyera nga zonat e konfliktit"


def _task_force(pages) -> int:
    """A planned task force of the council (the context's; built on first use without it)."""
    from django.utils import timezone

    from councils.meetings import task_forces
    from councils.meetings.models import Meeting
    from councils.models import Council

    the_council = Council.objects.get(municipality__slug=pages.slug)
    # The context's task force (tests/authz/matrix_ctx.py, with an outside specialist), found by its
    # kind, not its title: the XSS sweep rewrites every title.
    found = Meeting.objects.filter(council=the_council, kind=Meeting.Kind.TASK_FORCE).order_by("pk").first()
    if found is None:
        found = task_forces.task_force_call(
            council=the_council, title=TITLE, starts_at=timezone.now() + timedelta(days=5), place="Salla 2"
        )
    return found.pk


def _specialists(pages) -> str:
    return pages.path(f"meetings/{_task_force(pages)}/specialists/")


ROWS: dict[str, Row] = {
    "meetings:task-force-create": council_row(CALL_TASK_FORCE, CALL_TASK_FORCE, "task-forces/new/"),
    "meetings:specialists": Row(
        INVITE_SPECIALISTS,
        INVITE_SPECIALISTS,
        lambda ctx: _specialists(ctx["own"]),
        lambda ctx: _specialists(ctx["other"]),
    ),
    # On a council meeting nobody from outside is invited: the chair is refused too (the platform
    # admin passes the rule and the page says the form is closed).
    "meetings:specialists [council meeting]": council_row(
        roles(
            anonymous=302,
            user=404,
            member=403,
            guest=403,
            skn=403,
            secretary=403,
            chair=403,
            observer=403,
            admin=200,
        ),
        roles(
            anonymous=302,
            user=404,
            member=403,
            guest=403,
            skn=403,
            secretary=403,
            chair=403,
            observer=403,
            admin=200,
        ),
        "meetings/{meeting}/specialists/",
    ),
}
