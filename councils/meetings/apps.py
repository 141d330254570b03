from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "councils.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from kvsp.core.twofactor.policy import open_before_second_factor
        from kvsp.notify import kinds

        from .invitations import KINDS as INVITEE_KINDS
        from .invitations import MEETING_INVITATION
        from .notices import KINDS

        # Not a reminder: sent whenever the secretary invites, whatever the preferences say.
        kinds.register(kinds.Kind(MEETING_INVITATION, _("Meeting invitation"), reminder=False))
        # The e-mail to a specialist from outside the council (no account: no preference applies).
        from .task_forces import SPECIALIST_INVITATION, SPECIALIST_INVITATION_LABEL

        kinds.register(kinds.Kind(SPECIALIST_INVITATION, SPECIALIST_INVITATION_LABEL, reminder=False))
        # The SKN's summary to the heads of its institutions (addresses, not accounts).
        from .skn_summary import SKN_SUMMARY, SKN_SUMMARY_LABEL

        kinds.register(kinds.Kind(SKN_SUMMARY, SKN_SUMMARY_LABEL, reminder=False))
        # Hand-offs: the agenda to agree and agreed, the minutes to approve, returned and approved.
        for code, label in KINDS:
            kinds.register(kinds.Kind(code, label, reminder=False, handoff=True))
        # To every invitee: the meeting moved or cancelled, with its calendar file.
        for code, label in INVITEE_KINDS:
            kinds.register(kinds.Kind(code, label, reminder=False, handoff=True))

        # A calendar program fetches the feed with its secret, never with a session.
        open_before_second_factor(view_names=("meetings:calendar-feed",))

        # What meetings ask of each person, at the top of /app/ (councils/waiting.py).
        from councils.waiting import register_waiting_source

        from .waiting import meeting_items

        register_waiting_source(meeting_items)
