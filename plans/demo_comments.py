"""Public comment on Elbasan's plan for 2022, version 2, for `load_demo` (plans/demo.py): after the
consultation in Shushicë the version was submitted and opened for public comment from 21 to 31
January 2022; citizens commented on rows 1.5 (domestic violence) and 1.7 (hotspots) and on the whole
plan; the technical secretary published them (one redacted, one set aside as an individual case);
the SKN answered each; the chair returned the version, the rows were reworked and it was approved
on 3 February 2022 — so the approved plan's "what changed after public comment" shows the answers
and the changed rows. Everything goes through the services; the dates are then set to 2022."""

from datetime import date, datetime

from django.utils import timezone

from . import approval, comments
from .comment_models import PlanComment

OPENED = datetime(2022, 1, 21, 9, 0)
CLOSES = date(2022, 1, 31)
RETURN_NOTE = (
    "Merrni parasysh komentet e qytetarëve për rreshtat 1.5 dhe 1.7 (periudha e komenteve publike "
    "21–31.01.2022)."
)

# (row number or "" for the whole plan, what the citizen wrote, what was published (None: the same),
#  the SKN's answer, its reason; or None and the reason for setting it aside), day of January.
COMMENTS = [
    (
        "1.7",
        "Te parku pranë stacionit të trenit dhe te rruga e shkollës \u201cQamil Guranjaku\u201d mblidhen "
        "çdo mbrëmje të rinj që përdorin drogë. Ky problem duhet të ketë prioritet të lartë, jo të mesëm.",
        None,
        PlanComment.Answer.TAKEN_UP,
        "Prioriteti i rreshtit 1.7 u ngrit në të lartë dhe u shtuan dy aktivitete: puna me të rinjtë që "
        "frekuentojnë këto zona dhe rishikimi çdo tremujor i hartës së zonave të \u201cnxehta\u201d.",
        22,
    ),
    (
        "1.5",
        "Gratë në fshatrat e Shushicës nuk e dinë ku të telefonojnë kur ka dhunë në shtëpi. Ime motër, "
        "Mirela Hoxha, priti dy orë policinë. Plani duhet të publikojë numrat e kontaktit në çdo njësi.",
        "Gratë në fshatrat e Shushicës nuk e dinë ku të telefonojnë kur ka dhunë në shtëpi. "
        "Plani duhet të publikojë numrat e kontaktit në çdo njësi.",
        PlanComment.Answer.TAKEN_UP,
        "U shtua aktiviteti \u201cVendosja e numrave të kontaktit me viktimat e dhunës\u201d: numrat "
        "publikohen në të gjitha njësitë administrative dhe telefonatat ndiqen çdo muaj.",
        24,
    ),
    (
        "1.5",
        "Fëmijët që rriten në familje me dhunë kanë nevojë për këshillim me psikolog, jo vetëm nënat.",
        None,
        PlanComment.Answer.PARTLY,
        "Psikologët e shkollave do t'i ndjekin këta fëmijë brenda aktivitetit ekzistues me Drejtorinë "
        "Arsimore; një shërbim i veçantë këshillimi nuk ka fonde për vitin 2022.",
        26,
    ),
    (
        "",
        "Plani duhet të kishte edhe aktivitete për sigurinë rrugore pranë shkollave, ku makinat kalojnë "
        "me shpejtësi.",
        None,
        PlanComment.Answer.NOT_TAKEN_UP,
        "Siguria rrugore nuk u zgjodh si përparësi në konsultimet e 2021; do të diskutohet në takimin e "
        "hapur të vjeshtës dhe i është përcjellë Policisë Rrugore.",
        27,
    ),
    (
        "",
        "Fqinji im në rrugën \u201cRinia\u201d shet alkool të miturve, ja emri dhe adresa e tij.",
        None,
        None,
        "Rast individual: i drejtohet policisë (129), jo planit. Koment i pa publikuar.",
        28,
    ),
]


def _at(day: int, hour: int = 18):
    return timezone.make_aware(datetime(2022, 1, day, hour, 0))


def open_for_comment(version, *, secretary, skn, chair) -> int:
    """Submit ``version``, open it for public comment in January 2022, take the comments, moderate
    and answer them, then return it to the SKN; returns how many records were created."""
    version = approval.version_submit(version=version, user=secretary)
    opened = timezone.make_aware(OPENED)
    period = comments.period_open(version=version, closes_on=CLOSES, user=skn, now=opened)
    created = 1
    for number, text, published, answer, reason, day in COMMENTS:
        row = next((r["lineage"] for r in period.snapshot if r["number"] == number), "") if number else ""
        comment = comments.comment_submit(period=period, text=text, row=row, now=_at(day))
        if answer is None:
            comments.comment_reject(comment=comment, reason=reason, user=secretary)
        else:
            comments.comment_publish(comment=comment, public_text=published or text, user=secretary)
            comments.comment_answer(comment=comment, answer=answer, reason=reason, user=skn)
        PlanComment.objects.filter(pk=comment.pk).update(
            created_at=_at(day),
            moderated_at=_at(min(day + 1, 31), 10),
            answered_at=_at(min(day + 3, 31), 12) if answer else None,
        )
        created += 1
    approval.version_return(version=version, comment=RETURN_NOTE)
    return created
