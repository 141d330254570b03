"""The council's list of responsible actors (``plans.Actor``): the bodies a plan row or an activity
may name beside the council's member institutions — other public institutions, NGOs, community
representatives, schools, businesses. Kept apart from the council's composition: adding an actor
adds no member, and actors never appear on the public composition page.

One actor per name whatever its case or accents: "OJF", "ojf" and "Ojf " are one actor, and so are
"Drejtoria Arsimore" and "drejtoria arsimore" or "Perfaqesues te komunitetit" and "Përfaqësues të
komunitetit". Adding a name already in the list is refused with the existing one offered; naming
actors on a row or an activity reuses the existing ones.

An actor is never renamed or removed: an approved version shows it by name and never changes.
"""

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.exports import without_control_characters

from .models import Actor

NAME_MAX = 200


def actor_key(name: str) -> str:
    """The name without case, accents or repeated spaces: what makes two names one actor."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold()


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join(without_control_characters(name or "").split())
    if not name:
        raise ValidationError({field: _("Give the actor's name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({field: _("Keep each name under %(count)d characters.") % {"count": NAME_MAX}})
    return name


@transaction.atomic
@public_cache.invalidates
def actor_add(*, council: Council, name: str, kind: str = Actor.Kind.OTHER) -> Actor:
    """Add an actor to the council's list; a name already there (whatever its case or accents) is
    refused, naming the existing actor to choose instead."""
    name = _clean_name(name)
    if kind not in Actor.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of actor.")})
    Council.objects.select_for_update().filter(pk=council.pk).first()  # one add at a time per council
    existing = Actor.objects.filter(council=council, key=actor_key(name)).first()
    if existing is not None:
        raise ValidationError(
            {
                "name": _("“%(name)s” is already in the list: choose it instead of adding it again.")
                % {"name": existing.name}
            }
        )
    return Actor.objects.create(council=council, name=name, key=actor_key(name), kind=kind)


def split_names(text: str) -> list[str]:
    """The names of a text box, one per line (or separated by ";"), each once, in order."""
    names, seen = [], set()
    for line in (text or "").replace(";", "\n").splitlines():
        name = " ".join(line.split())
        if name and actor_key(name) not in seen:
            seen.add(actor_key(name))
            names.append(name)
    return names


@transaction.atomic
@public_cache.invalidates
def actors_named(*, council: Council, names: Iterable[str], field: str = "new_actors") -> list[Actor]:
    """The council's actors with these names, in order: an existing one whatever the case or
    accents it is typed with, else a new one (kind "other"). Used by the plan's row and activity
    services inside their own transaction."""
    cleaned = []
    for name in names:
        name = _clean_name(name, field)
        if actor_key(name) not in {actor_key(n) for n in cleaned}:
            cleaned.append(name)
    if not cleaned:
        return []
    Council.objects.select_for_update().filter(pk=council.pk).first()
    found = {
        actor.key: actor
        for actor in Actor.objects.filter(council=council, key__in=[actor_key(n) for n in cleaned])
    }
    actors = []
    for name in cleaned:
        key = actor_key(name)
        if key not in found:
            found[key] = Actor.objects.create(council=council, name=name, key=key)
        actors.append(found[key])
    return actors
