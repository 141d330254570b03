"""Who a line names: the lead (one of the council's member institutions) and the responsible
institutions and actors of Table 1's "Institucioni përgjegjës" column. A name that is one of the
council's member institutions (compared without case, accents or repeated spaces) is that
institution; any other name is an actor of the council's list (``plans.actors``): the existing one
whatever the case or accents it is typed with, else a new one, added when the rows are saved —
never a member of the council. Names keep the order given.
"""

import difflib
import re

from django.utils.translation import gettext as _

from councils.models import Council, Institution

from ..actors import NAME_MAX, actor_key
from ..models import Actor
from .vocabulary import SHEET_INSTITUTIONS, fold


def split_cell(text: str) -> list[str]:
    """The names of a cell, separated by ";" or new lines, each with single spaces."""
    names = (" ".join(name.split()) for name in re.split(r"[;\n]", text or ""))
    return [name for name in names if name]


class Names:
    """The council's member institutions and actors, to read the names a line gives."""

    def __init__(self, council: Council):
        seated = Institution.objects.filter(pk__in=council.seats.active().values("institution_id"))
        self.institutions: dict[str, list[Institution]] = {}
        for institution in seated.order_by("name"):
            self.institutions.setdefault(fold(institution.name), []).append(institution)
        self.actors = {actor.key: actor.name for actor in Actor.objects.filter(council=council)}

    def institution(self, name: str) -> tuple[Institution | None, str]:
        """The member institution named (None and why not, if it is not exactly one)."""
        found = self.institutions.get(fold(name), [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _(
                "Two institutions of this council are called “%(name)s”: the import cannot tell which."
            ) % {"name": name}
        message = _("“%(name)s” is not an institution that sits on this council.") % {"name": name}
        suggestions = self.suggest(name)
        if suggestions:
            message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(suggestions)}
        message += " " + _("The sheet “%(sheet)s” of the template lists the names to use.") % {
            "sheet": SHEET_INSTITUTIONS
        }
        return None, message

    def suggest(self, name: str) -> list[str]:
        """Up to three seated institutions whose name is close to ``name``: by spelling, else by
        the most words in common (their first five letters, so "Policia" finds "Policisë")."""
        names = {key: found[0].name for key, found in self.institutions.items()}
        wanted = fold(name)
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        if not close:
            stems = {w[:5] for w in re.findall(r"\w+", wanted) if len(w) >= 4}
            scores = {key: sum(stem in key for stem in stems) for key in names}
            best = max(scores.values(), default=0)
            close = [key for key, score in scores.items() if score and score == best][:3]
        return [names[key] for key in close]

    def responsible(self, text: str, item) -> list[str]:
        """Fill ``item`` (a ``Responsible``) with the institutions and actors ``text`` names, in
        order, each once; returns the errors (a name too long, or two members of that name)."""
        errors = []
        seen: set[str] = set()
        for name in split_cell(text):
            key = actor_key(name)
            if key in seen:
                continue
            seen.add(key)
            found = self.institutions.get(fold(name), [])
            if len(found) == 1:
                item.institutions.append(found[0])
            elif found:
                errors.append(self.institution(name)[1])
            elif len(name) > NAME_MAX:
                errors.append(
                    _("“%(start)s…”: keep each name under %(count)d characters.")
                    % {"start": name[:40], "count": NAME_MAX}
                )
            elif key in self.actors:
                item.actors.append(self.actors[key])
            else:
                item.actors.append(name)
                item.new_actors.append(name)
        return errors
