"""The kinds of notification, registered by the apps that own them (kvsp/notify knows no domain).

An app registers its kinds from its ``AppConfig.ready()``: the code stored on each notification,
outbox message and preference, the label a person reads (on the preferences page, in the admin),
whether it is a *reminder* (a person chooses how it reaches them by e-mail, a council may switch it
off) and the e-mail default for people who chose nothing. The preferences page lists the reminders
in the order they were registered.

The models' ``kind`` fields take their choices from here through a callable, so a migration holds
no app's wording and a new or reworded kind needs no migration.
"""

from dataclasses import dataclass

IMMEDIATE = "immediate"  # Mode.IMMEDIATE (kvsp/notify/models.py), without importing the models
# The platform's own account mail (kvsp/core), registered by kvsp/notify/apps.py.
PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind's code, not a password)
ACCOUNT_INVITATION = "account_invitation"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # a lazy translation
    reminder: bool = True
    default_mode: str = IMMEDIATE
    # A hand-off notice (a plan submitted, minutes returned...): not a reminder a council can switch
    # off, but the person still chooses how it reaches them by e-mail.
    handoff: bool = False

    def __str__(self):
        return self.code


_registry: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Register kinds (from an app's ``ready()``); registering the same kind again changes nothing,
    another kind under a code already taken is a programming error."""
    for kind in kinds:
        known = _registry.get(kind.code)
        if known is not None and known != kind:
            raise ValueError(f"notification kind {kind.code!r} is already registered differently")
        _registry[kind.code] = kind


def get(code: str) -> Kind:
    """The kind registered under ``code`` (KeyError: none is)."""
    return _registry[str(code)]


def all_kinds() -> list[Kind]:
    return list(_registry.values())


def reminders() -> list[Kind]:
    """The kinds a person (their e-mail preference) and a council (its switch) can turn off."""
    return [kind for kind in _registry.values() if kind.reminder]


def handoffs() -> list[Kind]:
    """The hand-off notices, which a person may take at once, in a digest or not by e-mail."""
    return [kind for kind in _registry.values() if kind.handoff]


def choices() -> list[tuple[str, str]]:
    """Every kind, for the models' ``kind`` fields (a callable: migrations keep no wording)."""
    return [(kind.code, kind.label) for kind in _registry.values()]


def reminder_choices() -> list[tuple[str, str]]:
    """The reminders, for a field that holds only them (monitoring's ReminderSetting)."""
    return [(kind.code, kind.label) for kind in reminders()]
