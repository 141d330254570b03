"""Meetings of a council: council meetings, monthly SKN meetings and task forces; their agendas,
attendance, minutes and numbered decisions. Everything belongs to the council, not to a person."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from councils.models import OFFICER_ROLES, Institution, Person, PersonGender
from councils.owned import EVERYWHERE, CouncilOwned, CouncilOwnedQuerySet, at, council_link, councils_where
from kvsp.core.fields import cancel_needs_reason, user_link
from kvsp.core.models import TimeStampedModel


def readable_meetings_q(user, path: str = "") -> Q:
    """The rule ``meetings.view_meeting`` as a condition on the meetings reached through ``path``:
    every meeting of a council where the user is an officer (SKN, chair, technical secretary); its
    council meetings for its other members; council meetings everywhere for the national observer;
    any meeting the user is invited to; everything for the platform admin."""
    if user.is_superuser:
        return EVERYWHERE
    council_meeting = Q(**{at(path, "kind__in"): Meeting.PUBLIC_KINDS})
    readable = Q(**{at(path, "council__in"): councils_where(user, OFFICER_ROLES)})
    readable |= Q(**{at(path, "pk__in"): Invitation.objects.filter(person__user=user).values("meeting_id")})
    if user.is_national_observer:
        return readable | council_meeting
    return readable | (council_meeting & Q(**{at(path, "council__in"): councils_where(user)}))


class MeetingQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        return readable_meetings_q(user)

    def public(self):
        """Council meetings not marked restricted: what anyone may see."""
        return self.filter(kind__in=Meeting.PUBLIC_KINDS, restricted=False)


class MeetingPartQuerySet(CouncilOwnedQuerySet):
    """Rows of a meeting (its agenda, minutes, decisions...): read with the meeting, and, when
    ``minutes_path`` is set, only once its minutes are approved unless the user may read drafts
    (``meetings.view_drafts``: the council's people who read the meeting, not the observer or a
    guest)."""

    council_path = "meeting__council"
    meeting_path = "meeting"
    # The way to the meeting's minutes, when the rows wait for their approval (None: they don't).
    minutes_path: str | None = None

    def drafts_q(self, user) -> Q:
        """``meetings.view_drafts`` on the row's meeting."""
        if user.is_superuser:
            return EVERYWHERE
        return self.roles_q(user) & readable_meetings_q(user, self.meeting_path)

    def readable(self, user) -> Q:
        readable = readable_meetings_q(user, self.meeting_path)
        if self.minutes_path is None:
            return readable
        approved = Q(**{at(self.minutes_path, "status"): Minutes.Status.APPROVED})
        return self.drafts_q(user) | (readable & approved)


class SettledPartQuerySet(MeetingPartQuerySet):
    """Attendance and decisions: shown once the meeting's minutes are approved."""

    minutes_path = "meeting__minutes"


class Meeting(TimeStampedModel, CouncilOwned):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("council meeting")
        COUNCIL_EXTRAORDINARY = "council_extraordinary", _("extraordinary council meeting")
        SKN = "skn", _("SKN meeting")
        TASK_FORCE = "task_force", _("task force (expert meeting)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class AgendaStatus(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed by the SKN")

    PUBLIC_KINDS = (Kind.COUNCIL, Kind.COUNCIL_EXTRAORDINARY)
    CLOSED_KINDS = (Kind.SKN, Kind.TASK_FORCE)

    council = council_link("meetings")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.COUNCIL)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_(
            "A restricted council meeting is not shown publicly. SKN and task-force meetings never are."
        ),
    )
    agenda_status = models.CharField(
        _("agenda"), max_length=20, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    # The technical secretary sent the draft agenda to the SKN for agreement (a hand-off notice).
    agenda_submitted_by = user_link(_("agenda sent for agreement by"))
    agenda_submitted_at = models.DateTimeField(_("agenda sent for agreement at"), null=True, blank=True)
    agenda_agreed_by = user_link(_("agenda agreed by"))
    agenda_agreed_at = models.DateTimeField(_("agenda agreed at"), null=True, blank=True)
    # The iCalendar SEQUENCE of the invitation: raised each time the meeting is moved or its
    # agenda changes after invitations went out, so the invitees' calendars follow the change.
    sequence = models.PositiveIntegerField(_("revision of the invitation"), default=0)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            cancel_needs_reason("meetings_cancel_needs_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {timezone.localtime(self.starts_at):%d.%m.%Y}"

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS and not self.restricted

    @property
    def has_started(self) -> bool:
        """Whether its start time has come: before it, nothing of it can be recorded as held."""
        return self.starts_at <= timezone.now()

    @property
    def needs_agreed_agenda(self) -> bool:
        """A council meeting's invitations wait for the SKN to agree its agenda (the guide's order)."""
        return self.kind in self.PUBLIC_KINDS


class AgendaItem(TimeStampedModel, CouncilOwned):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=300)
    presenter = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented by"),
    )

    history = HistoricalRecords()
    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meetings_agenda_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class InvitationQuerySet(MeetingPartQuerySet):
    def readable(self, user) -> Q:
        """Who was invited: whoever may read the meeting's drafts; the invited person their own."""
        return self.drafts_q(user) | Q(person__user=user)


class Reach(models.TextChoices):
    """How an invited person was told of the meeting: the e-mail goes by itself; the others are
    recorded by the technical secretary for people without an e-mail address."""

    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    IN_PERSON = "in_person", _("in person")


class Invitation(TimeStampedModel, CouncilOwned):
    """Who was invited to a meeting, how they were reached and how they answered."""

    class Response(models.TextChoices):
        PENDING = "pending", _("no answer yet")
        ATTENDING = "attending", _("attending")
        NOT_ATTENDING = "not_attending", _("not attending")
        DEPUTY = "deputy", _("sending a deputy")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    deputy_name = models.CharField(_("deputy"), max_length=150, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The meeting's ``sequence`` this person was last sent: sending again for the same one (a double
    # click, two tabs) sends nothing; a moved meeting or a changed agenda is sent again.
    sent_sequence = models.PositiveIntegerField(_("revision sent"), null=True, blank=True)
    reached_by = models.CharField(_("reached by"), max_length=20, choices=Reach.choices, blank=True)
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meetings_invitation_once"),
        ]


class Attendance(TimeStampedModel, CouncilOwned):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")
        REPRESENTED = "represented", _("represented by a deputy")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT)
    represented_by = models.CharField(_("represented by"), max_length=150, blank=True)

    history = HistoricalRecords()
    objects = SettledPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "institution__category", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meetings_attendance_once"),
        ]

    @classmethod
    def status_choices_for(cls, person: Person) -> list[tuple[str, str]]:
        """The statuses as said of this person: "e pranishme" for a woman, "i pranishëm" otherwise."""
        woman = person.gender == PersonGender.WOMAN
        return [
            (value, pgettext("attendance of a woman", "present"))
            if woman and value == cls.Status.PRESENT
            else (value, str(label))
            for value, label in cls.Status.choices
        ]

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces Django's, for every template
        return dict(self.status_choices_for(self.person))[self.status]


class SpecialistQuerySet(MeetingPartQuerySet):
    def readable(self, user) -> Q:
        """Who was invited from outside: whoever may read the meeting's drafts (its officers)."""
        return self.drafts_q(user)


class Specialist(TimeStampedModel, CouncilOwned):
    """A specialist from outside the council invited to one task force (regulation art. 7.3): a
    social worker, a school psychologist, an NGO's worker. Not a member and not a user: they get the
    invitation by e-mail (if an address is given) and nothing else — no account, no page, no other
    meeting. Deliberately no field about the case the task force handles: no victim, no perpetrator,
    no case (DESIGN.md "Privacy"); the meeting's title names the issue in general terms."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="specialists", verbose_name=_("meeting")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    function = models.CharField(_("function"), max_length=150)
    institution = models.CharField(_("institution or organisation"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    # The meeting's ``sequence`` the invitation was last e-mailed for (None: not e-mailed).
    sent_sequence = models.PositiveIntegerField(_("revision sent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.Status.choices[:3], blank=True
    )

    history = HistoricalRecords()
    objects = SpecialistQuerySet.as_manager()

    class Meta:
        verbose_name = _("outside specialist")
        verbose_name_plural = _("outside specialists")
        ordering = ["meeting", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.function}, {self.institution})"


class MinutesQuerySet(MeetingPartQuerySet):
    minutes_path = ""


class Minutes(TimeStampedModel, CouncilOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for approval")
        RETURNED = "returned", _("returned with comments")
        APPROVED = "approved", _("approved")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    # What the writer typed, kept for editing; ``body`` is its HTML, built by the service.
    source = models.TextField(_("text as written"), blank=True)
    body = models.TextField(_("minutes"), help_text=_("Stored cleaned: formatting only, no scripts."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    author = user_link(_("written by"), optional=False)
    submitted_by = user_link(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    return_comment = models.TextField(_("comments of the approver"), blank=True)
    returned_by = user_link(_("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    approved_by = user_link(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_comment=""),
                name="meetings_minutes_return_has_comment",
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_submitted(self) -> bool:
        """Waiting for the approver: neither edited nor approved until they decide."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_editable(self) -> bool:
        """A draft, or returned with comments: the writer changes it and submits it (again)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AmendmentQuerySet(MeetingPartQuerySet):
    council_path = "minutes__meeting__council"
    meeting_path = "minutes__meeting"
    minutes_path = "minutes"


class Amendment(TimeStampedModel, CouncilOwned):
    """A correction to approved minutes: the minutes stay as approved; this records what changed."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("minutes")
    )
    text = models.TextField(_("correction"))
    author = user_link(_("written by"), optional=False)

    history = HistoricalRecords()
    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at"]


class Decision(TimeStampedModel, CouncilOwned):
    """A decision of a meeting, numbered per council and year: "Vendimi nr. 3/2026". The council
    and the year are the meeting's, stored so that the database keeps the number unique."""

    council = council_link("decisions")
    year = models.PositiveSmallIntegerField(_("year"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))

    history = HistoricalRecords()
    objects = SettledPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["council", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="meetings_decision_number_per_council_year"
            ),
        ]

    def __str__(self):
        return f"{self.number}/{self.year}"

    @property
    def label(self) -> str:
        """ "Vendimi nr. 3/2026" in the reader's language."""
        return _("Decision no. %(number)s") % {"number": self}


class CalendarFeed(TimeStampedModel):
    """A person's private calendar address: all the meetings they may read, for any calendar
    program. The secret in the address can be replaced at any time, which revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("secret"), max_length=64, unique=True)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")


class DocumentQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """The rule ``meetings.view_document``. Per its visibility: public, anyone; the council,
        its people (not invited guests) and the national observer; the meeting's participants, the
        officers and (with a meeting) those invited to it. A document of an SKN, task-force or
        restricted meeting, besides, only for whoever reads that meeting."""
        if user.is_superuser:
            return EVERYWHERE
        closed_meeting = Q(meeting__kind__in=Meeting.CLOSED_KINDS) | Q(meeting__restricted=True)
        open_meeting = Q(meeting__isnull=True) | Q(
            meeting__kind__in=Meeting.PUBLIC_KINDS, meeting__restricted=False
        )
        visibility = Document.Visibility
        participants = self.roles_q(user, OFFICER_ROLES) | Q(
            meeting__in=Invitation.objects.filter(person__user=user).values("meeting_id")
        )
        by_visibility = (
            Q(visibility=visibility.PUBLIC)
            | (Q(visibility=visibility.COUNCIL) & self.roles_q(user, observer=True))
            | (Q(visibility=visibility.PARTICIPANTS) & participants)
        )
        return by_visibility & (open_meeting | (closed_meeting & readable_meetings_q(user, "meeting")))


class Document(TimeStampedModel, CouncilOwned):
    """A document of the council's archive, on its own or attached to a meeting."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        COUNCIL = "council", _("the council")
        PARTICIPANTS = "participants", _("the meeting's participants")

    council = council_link("documents")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size"), editable=False)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.COUNCIL
    )
    # The title folded to lower-case ASCII, so "kucove" finds "Kuçovë" on any database.
    search_text = models.CharField(max_length=200, editable=False, db_index=True)
    uploaded_by = user_link(_("uploaded by"), optional=False)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title
