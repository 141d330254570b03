"""The authorization matrix's rows: every URL pattern, the answer each principal gets to a GET and
a POST, in the principal's own council and in another one (tests/authz/test_matrix.py runs them).

Expected answers are written here by hand, per URL, from what each principal should be allowed to
do (DESIGN.md "Roles" and "Visibility"); they are never computed from the rules or recorded from
the code's replies. A URL pattern missing here fails the suite, so every new page adds its row.
Rows of an app may live in tests/authz/rows_<app>.py; the vocabulary is in matrix_lib.py.
A pattern may have further rows, "name [case]", trying it on other objects or in other states.
"""

from tests.authz.matrix_lib import (
    ADD_DOCUMENT,
    ADD_MEMBER,
    ADMIN_ONLY,
    AGREE_GET,
    AGREE_POST,
    APPROVE_GET,
    APPROVE_POST,
    CHANGE,
    DOCUMENT_GET,
    DRAFT_PDF,
    INVITE_GET,
    INVITE_POST,
    MANAGE,
    MANAGE_CONSULTATION,
    MANAGE_CONSULTATION_DONE,
    MANAGE_MEETING,
    MODERATE,
    MODERATE_DONE,
    MODERATE_NO_METHOD,
    NO_INVITATION,
    NO_POST,
    PRIORITISE,
    READ,
    READ_POST,
    Row,
    by,
    council_row,
    same,
)


def _admin_model_rows(
    app: str,
    model: str,
    key: str,
    *,
    can_add: bool = True,
    read_only: bool = False,
    can_delete: bool = True,
    audited: bool = False,
):
    """The five admin pages of one model, as written by hand for the platform admin."""
    base = f"/admin/{app}/{model}/"

    def obj(ctx):
        return f"{base}{ctx[key]}/"

    rows = {}
    if audited:
        # One past version of the record, from its django-simple-history trail: read only, a POST
        # (which would revert the record) is refused (kvsp/core/history_admin.py).
        rows[f"admin:{app}_{model}_simple_history"] = Row(
            ADMIN_ONLY, by(302, 302, 405), lambda ctx: obj(ctx) + f"history/{ctx[key + '_history']}/"
        )
    return rows | {
        f"admin:{app}_{model}_changelist": Row(ADMIN_ONLY, by(302, 302, 200), base),
        f"admin:{app}_{model}_add": Row(
            by(302, 302, 200 if can_add else 403), by(302, 302, 200 if can_add else 403), base + "add/"
        ),
        f"admin:{app}_{model}_history": Row(ADMIN_ONLY, by(302, 302, 200), lambda ctx: obj(ctx) + "history/"),
        # GET asks for confirmation; a POST without the confirmation field asks again.
        f"admin:{app}_{model}_delete": Row(
            by(302, 302, 200 if can_delete else 403),
            by(302, 302, 200 if can_delete else 403),
            lambda ctx: obj(ctx) + "delete/",
        ),
        # POST with no data: the form comes back with its errors; a record whose every field
        # is read-only has nothing to save and goes back to the list unchanged.
        f"admin:{app}_{model}_change": Row(
            ADMIN_ONLY, by(302, 302, 302 if read_only else 200), lambda ctx: obj(ctx) + "change/"
        ),
        # /admin/<app>/<model>/<id>/ is an old address: it redirects to the change page.
        f"route:admin/{app}/{model}/<path:object_id>/": Row(by(302, 302, 302), by(302, 302, 302), obj),
    }


MATRIX: dict[str, Row] = {
    # --- public -----------------------------------------------------------------------------
    "portal:home": Row(same(200), same(405), "/"),
    "portal:council": Row(same(200), same(405), "/elbasan/"),
    "portal:council-regulation": Row(same(200), same(405), "/elbasan/regulation/"),
    # A public council meeting of Elbasan (its draft minutes stay hidden: see tests/meetings).
    "portal:meeting": Row(same(200), same(405), lambda ctx: f"/elbasan/meetings/{ctx['own'].meeting}/"),
    "portal:meetings-calendar": Row(same(200), same(405), "/elbasan/meetings.ics"),
    "portal:document": Row(same(200), same(405), lambda ctx: f"/elbasan/documents/{ctx['public_document']}/"),
    # Consultations and concerns: announced consultations and published outcomes are public; the
    # concern form answers an empty POST with its errors (200). A code's page shows no private data.
    "portal:consultations": Row(same(200), same(405), "/elbasan/consultations/"),
    "portal:consultation": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/"
    ),
    "portal:consultation-csv": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/concerns.csv"
    ),
    "portal:consultation-json": Row(
        same(200), same(405), lambda ctx: f"/elbasan/consultations/{ctx['own'].consultation}/concerns.json"
    ),
    "portal:concern-lookup": Row(same(200), same(405), "/elbasan/concerns/"),
    "portal:concern-create": Row(same(200), same(200), "/elbasan/concerns/new/"),
    "portal:concern-form-pdf": Row(same(200), same(405), "/elbasan/concerns/form.pdf"),
    "portal:concern": Row(same(200), same(405), lambda ctx: f"/elbasan/concerns/{ctx['own'].concern}/"),
    "healthz": Row(same(200), same(405), "/healthz/"),
    # --- accounts ---------------------------------------------------------------------------
    # A signed-in person who opens the login page is sent on to their councils.
    "accounts:login": Row(by(200, 302, 302), by(200, 302, 302), "/accounts/login/"),
    "accounts:logout": Row(same(405), same(302), "/accounts/logout/"),
    "accounts:password-change": Row(by(302, 200, 200), by(302, 200, 200), "/accounts/password/change/"),
    "accounts:password-change-done": Row(
        by(302, 200, 200), by(302, 405, 405), "/accounts/password/change/done/"
    ),
    "accounts:password-reset": Row(same(200), same(200), "/accounts/password/reset/"),
    "accounts:password-reset-done": Row(same(200), same(405), "/accounts/password/reset/sent/"),
    # A forged reset link shows "no longer valid" (200), never a form that works.
    "accounts:password-reset-confirm": Row(same(200), same(200), "/accounts/password/reset/MQ/forged-token/"),
    "accounts:password-reset-complete": Row(same(200), same(405), "/accounts/password/reset/complete/"),
    "accounts:invitation-accept": Row(same(404), same(404), "/accounts/invitation/forged-token/"),
    "accounts:language": Row(same(302), same(405), "/accounts/language/en/?next=/"),
    # --- staff pages ------------------------------------------------------------------------
    "councils:dashboard": Row(by(302, 200, 200), by(302, 405, 405), "/app/"),
    # Anyone signed in has a private calendar address; a POST replaces it (and redirects back).
    "meetings:calendar": Row(by(302, 200, 200), by(302, 302, 302), "/app/calendar/"),
    # The secret is the key: a wrong one is 404 for everybody (tests/meetings checks a right one).
    "meetings:calendar-feed": Row(same(404), same(405), "/app/calendar/not-a-secret.ics"),
    "councils:council-detail": council_row(READ, READ_POST, ""),
    "councils:council-update": council_row(CHANGE, CHANGE, "settings/"),
    "councils:seat-create": council_row(MANAGE, MANAGE, "institutions/add/"),
    "councils:seat-end": council_row(MANAGE, MANAGE, "institutions/{seat}/end/"),
    "councils:membership-create": council_row(ADD_MEMBER, ADD_MEMBER, "members/add/"),
    "councils:membership-import": council_row(MANAGE, MANAGE, "members/import/"),
    # {membership} is a member's role: the secretary or the chair may end it.
    "councils:membership-end": council_row(ADD_MEMBER, ADD_MEMBER, "members/{membership}/end/"),
    "councils:membership-invite": council_row(INVITE_GET, INVITE_POST, "members/{membership}/invite/"),
    "meetings:archive": council_row(READ, READ_POST, "documents/"),
    "meetings:document-create": council_row(ADD_DOCUMENT, ADD_DOCUMENT, "documents/new/"),
    "meetings:document-download": council_row(DOCUMENT_GET, NO_POST, "documents/{document}/"),
    "meetings:meeting-list": council_row(READ, READ_POST, "meetings/"),
    "meetings:meeting-create": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/new/"),
    "meetings:meeting-detail": council_row(READ, READ_POST, "meetings/{meeting}/"),
    # The meeting was held: the form opens, and an empty POST comes back with its error.
    "meetings:meeting-cancel": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/cancel/"),
    "meetings:agenda-add": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/agenda/add/"),
    "meetings:agenda-agree": council_row(AGREE_GET, AGREE_POST, "meetings/{meeting}/agenda/agree/"),
    # The secretary sends a draft agenda to the SKN (POST only; here the meeting has started, so the
    # refusal comes back as a message on the meeting: 302).
    "meetings:agenda-submit": council_row(INVITE_GET, INVITE_POST, "meetings/{meeting}/agenda/submit/"),
    "meetings:attendance": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/attendance/"),
    "meetings:invitation-send": council_row(
        MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/invitations/"
    ),
    # Only an invited person answers, and only their own invitation: nobody here is invited, so
    # whoever may read the meeting gets 404 (tests/meetings covers the invited person's answer).
    "meetings:invitation-answer": council_row(NO_INVITATION, NO_INVITATION, "meetings/{meeting}/answer/"),
    "meetings:minutes-edit": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/minutes/"),
    # The secretary submits the draft minutes for approval (POST only, back to the meeting).
    "meetings:minutes-submit": council_row(INVITE_GET, INVITE_POST, "meetings/{meeting}/minutes/submit/"),
    "meetings:minutes-approve": council_row(APPROVE_GET, APPROVE_POST, "meetings/{meeting}/minutes/approve/"),
    "meetings:minutes-return": council_row(APPROVE_GET, APPROVE_POST, "meetings/{meeting}/minutes/return/"),
    # The minutes here are a draft: the observer (and a guest) may not have them before approval.
    "meetings:minutes-pdf": council_row(DRAFT_PDF, READ_POST, "meetings/{meeting}/minutes.pdf"),
    "meetings:amendment-add": council_row(
        MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/amendments/add/"
    ),
    "meetings:decision-add": council_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/decisions/add/"),
    # {consultation} was held two days ago and announced; {concern} awaits moderation in it and
    # belongs to {problem}. Empty POSTs to forms come back with their errors (200).
    "consultations:list": council_row(READ, READ_POST, "consultations/"),
    "consultations:create": council_row(MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/new/"),
    "consultations:detail": council_row(READ, READ_POST, "consultations/{consultation}/"),
    "consultations:update": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/edit/"
    ),
    # The announcement's page (its confirmation step); the consultation is announced already, so a
    # POST comes back on the page with the refusal.
    "consultations:announce": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/announce/"
    ),
    "consultations:cancel": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/cancel/"
    ),
    # An empty participation form counts nobody: it is saved and the page goes back (302).
    "consultations:participation": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION_DONE, "consultations/{consultation}/participation/"
    ),
    "consultations:concern-enter": council_row(
        MANAGE_CONSULTATION, MANAGE_CONSULTATION, "consultations/{consultation}/concerns/new/"
    ),
    "consultations:concern-export": council_row(
        MODERATE, MODERATE_NO_METHOD, "consultations/{consultation}/concerns.csv"
    ),
    "consultations:priorities": council_row(
        PRIORITISE, PRIORITISE, "consultations/{consultation}/priorities/"
    ),
    "consultations:problem-edit": council_row(
        PRIORITISE, PRIORITISE, "consultations/{consultation}/priorities/{problem}/"
    ),
    "consultations:concern-list": council_row(MODERATE, MODERATE_NO_METHOD, "concerns/"),
    # A POST without an action changes nothing and goes back to the concern.
    "consultations:concern-detail": council_row(MODERATE, MODERATE_DONE, "concerns/{concern}/"),
    "consultations:concern-forget": council_row(
        MODERATE_NO_METHOD, MODERATE_DONE, "concerns/{concern}/forget/"
    ),
    # --- platform administration ------------------------------------------------------------
    "admin:index": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/"),
    # The admin has no login of its own: anonymous visitors go to the site's login (password, then
    # the second factor), a signed-in admin on to the index, anyone else is refused.
    "admin:login": Row(by(302, 403, 302), by(302, 403, 302), "/admin/login/"),
    # Logging out needs a POST; anyone who is not staff is simply sent to the admin index.
    "admin:logout": Row(by(302, 302, 405), same(302), "/admin/logout/"),
    "admin:password_change": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/password_change/"),
    "admin:password_change_done": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/password_change/done/"),
    # Without its query parameters the autocomplete refuses even the admin.
    "admin:autocomplete": Row(by(302, 302, 403), by(302, 302, 405), "/admin/autocomplete/"),
    "admin:jsi18n": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/jsi18n/"),
    # Users have no public page, so "view on site" has nowhere to go.
    "admin:view_on_site": Row(
        by(302, 302, 404), by(302, 302, 404), lambda ctx: f"/admin/r/{ctx['user_ct']}/{ctx['target_user']}/"
    ),
    "admin:app_list": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/core/"),
    "route:admin/(?P<url>.*)$": Row(by(302, 302, 404), by(302, 302, 404), "/admin/no-such-page/"),
    "admin:auth_user_password_change": Row(
        ADMIN_ONLY, by(302, 302, 200), lambda ctx: f"/admin/core/user/{ctx['target_user']}/password/"
    ),
    **_admin_model_rows("core", "user", "target_user", audited=True),
    **_admin_model_rows("auth", "group", "group"),
    # The lockout records are written by django-axes only: the admin can read and delete them.
    **_admin_model_rows("axes", "accessattempt", "access_attempt", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accesslog", "access_log", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accessfailurelog", "access_failure_log", can_add=False, read_only=True),
    # The outbox and the sent-log: the platform admin reads them; nothing is added, changed or deleted.
    **_admin_model_rows(
        "notify", "outboxmessage", "outbox_message", can_add=False, read_only=True, can_delete=False
    ),
    **_admin_model_rows("notify", "sentlog", "sent_log", can_add=False, read_only=True, can_delete=False),
    **_admin_model_rows("django_celery_beat", "periodictask", "periodic_task"),
    **_admin_model_rows("django_celery_beat", "intervalschedule", "interval"),
    **_admin_model_rows("django_celery_beat", "crontabschedule", "crontab"),
    **_admin_model_rows("django_celery_beat", "solarschedule", "solar"),
    **_admin_model_rows("django_celery_beat", "clockedschedule", "clocked"),
    # Reference data: names can be corrected, but counties and municipalities are never added or
    # removed by hand (their slugs are public addresses). Units can be corrected freely.
    **_admin_model_rows("councils", "county", "county", can_add=False, can_delete=False, audited=True),
    **_admin_model_rows(
        "councils", "municipality", "municipality", can_add=False, can_delete=False, audited=True
    ),
    **_admin_model_rows("councils", "administrativeunit", "unit", audited=True),
    # Every municipality has its council from the reference data.
    **_admin_model_rows("councils", "council", "council", can_add=False, can_delete=False, audited=True),
    **_admin_model_rows("councils", "institution", "institution", can_delete=False, audited=True),
    # Ending keeps the record: composition and memberships are never deleted.
    **_admin_model_rows("councils", "councilinstitution", "seat", can_delete=False, audited=True),
    **_admin_model_rows("councils", "person", "person", can_delete=False, audited=True),
    **_admin_model_rows("councils", "membership", "membership", can_delete=False, audited=True),
    # The national problem taxonomy: a category in use is protected, its delete page says by what.
    **_admin_model_rows("consultations", "problemcategory", "problem_category", audited=True),
}


def _app_rows() -> dict[str, Row]:
    """Rows kept beside the others, one module per app: tests/authz/rows_<app>.py with ROWS."""
    import importlib
    import pkgutil

    import tests.authz

    rows: dict[str, Row] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(tests.authz.__path__)):
        if module.startswith("rows_"):
            found = importlib.import_module(f"tests.authz.{module}").ROWS
            assert not rows.keys() & found.keys(), f"{module} repeats rows"
            rows |= found
    return rows


_EXTRA = _app_rows()
assert not MATRIX.keys() & _EXTRA.keys(), "a row is both in matrix.py and in a rows_ module"
MATRIX |= _EXTRA
