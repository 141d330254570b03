"""A year of monitoring of Elbasan's 2022 plan for `load_demo` (the plan of plans/demo.py, version 2,
approved on 03.02.2022 after the consultation in Shushicë).

Month by month, in order: the SKN members record where the activities stand (each activity by the
SKN seat of its lead institution: municipality, police or prosecution), then the values of the
indicators whose period ends that month, then the month's report — drafted with its narrative,
submitted by the SKN, approved by the chair (which freezes it and stores its PDF) and published;
the notices of these steps (to the chair, then to the SKN and the secretary) are marked handled.
Most activities move forward, a few fall behind (one misses two of its two-monthly rounds, three are
delayed at some point), one is cancelled, seven are done by December. Updates dated before version
2's decision are recorded on version 1's rows, the plan then in force.

The status updates and reports are dated in 2022; their approval and publication are recorded
today (the services stamp them with the present time, and an approved report never changes after).

Idempotent: a status update is never edited or deleted, so one is recorded only if its activity has
none on that day; an indicator value only if its period has none; a report is taken from wherever it
stands to published, and a published one is left alone.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from councils.demo import PROSECUTION
from councils.models import AdministrativeUnit, Council
from plans.demo import MUNICIPALITY, POLICE
from plans.models import Plan

from . import demo_template, handoffs, services
from .demo_money import SPENT
from .models import IndicatorValue, MonthlyReport, StatusUpdate
from .progress import periods

YEAR = 2022
CHAIR = "kryetari@elbasan.kvsp.demo"
SKN_MUNICIPALITY = "skn.bashkia@elbasan.kvsp.demo"
SKN_POLICE = "skn.policia@elbasan.kvsp.demo"
SKN_PROSECUTION = "skn.prokuroria@elbasan.kvsp.demo"
# Who records an activity's updates: the SKN seat of its lead institution.
AUTHORS = {MUNICIPALITY: SKN_MUNICIPALITY, POLICE: SKN_POLICE, PROSECUTION: SKN_PROSECUTION}

# A status update: a row of data/demo_elbasan_2022.csv (activity, date, status, progress, note), where
# the activity is named by its row and position: "1.4.1" is the first activity of row 1.4.
UPDATES_FILE = Path(__file__).resolve().parent / "data" / "demo_elbasan_2022.csv"

# An activity's indicators, in order: the value of each period of 2022 at the indicator's frequency
# (quarters, halves, months, or the year for "once"), cumulative over the year; None: not measured.
# A value may come with a note: (value, note). "{units}": the number of administrative units.
VALUES = {
    "1.2.1": [[1, 3, 4, 6], [2, 5, 8, 12]],
    "1.2.2": [[1, 2, 3, 5], [6, 9]],
    "1.2.3": [[3, 6, 8, 11]],
    "1.4.1": [[9, 20, 20, (24, "4 orë shtesë në vjeshtë, me kërkesë të shkollave")], [260, 640, 640, 760]],
    "1.4.2": [[1, 2, 5, 10]],
    "1.4.3": [[1, (1, "Aktiviteti u anulua më 12.05.2022"), None, None]],
    "1.5.1": [[1, 2, 3, 4]],
    "1.5.2": [[14, 21]],
    "1.5.3": [[(0, "Databaza është në testim; vihet në përdorim në tremujorin e parë të vitit 2023")]],
    "1.5.4": [
        [2, 7, "{units}", "{units}"],
        [None, 6, 11, 9, 14, 12, 10, 8, 13, 15, 17, 21],
    ],
    "1.7.1": [[1]],
    "1.7.2": [[0, 0, 8, 16]],
    "1.7.3": [[3, 9, 17, 24]],
    "1.7.4": [[0, 2, 3, 4]],
}

# Each month's narrative: (summary, difficulties, proposals).
REPORTS = {
    1: (
        "Muaji i parë i zbatimit të planit 2022. Prokuroria dhe Zyra Vendore Arsimore hartuan kalendarin e "
        "orëve edukative ligjore; Policia analizoi të dhënat e vitit 2021 për zonat e nxehta dhe zhvilloi "
        "takimet e para me banorët.",
        "Takimi konsultativ në Shushicë (20 janar) solli kërkesa të reja për rreshtat 1.5 dhe 1.7, të cilat "
        "presin përditësimin e planit.",
        "Të miratohet në mbledhjen e 3 shkurtit përditësimi i planit me aktivitetet e propozuara nga "
        "qytetarët.",
    ),
    2: (
        "Plani u përditësua më 3 shkurt. U zhvilluan 4 seanca informuese në shkollat 9-vjeçare të Njësisë "
        "Administrative Nr. 2, takimi i parë me OJF-të dhe publikimi i numrave të kontaktit për viktimat e "
        "dhunës në familje.",
        "Disa shkolla rurale kërkuan që orët edukative të zhvillohen pas orarit mësimor.",
        "Zyra Vendore Arsimore të koordinojë kalendarin me drejtorët e shkollave rurale.",
    ),
    3: (
        "Orët edukative vazhduan në shkollat e mesme. Projekt-harta e zonave të nxehta u diskutua në SKN. U "
        "hap procedura e prokurimit për kamerat e vëzhgimit.",
        "Procedura e prokurimit kërkon më shumë kohë se sa ishte parashikuar në plan.",
        "Bashkia të ndjekë nga afër procedurën e prokurimit dhe të informojë SKN-në çdo muaj.",
    ),
    4: (
        "Harta e 7 zonave të nxehta u publikua. Numrat e kontaktit u afishuan në 7 njësi administrative. U "
        "zhvillua takimi informues në Shushicë me 42 banorë.",
        "Databaza e rasteve të dhunës në familje kërkon licenca që nuk janë parashikuar në buxhet.",
        "Të kërkohet mbështetje nga Drejtoria e Përgjithshme e Policisë dhe nga donatorët.",
    ),
    5: (
        "Orët edukative ligjore iu afruan objektivit. SKN-ja vendosi të bashkojë konsultimet me liderët e "
        "komuniteteve (1.4.3) me takimet informuese të aktivitetit 1.2.1.",
        "Takimet policia–shkolla–prindër u shtynë për shkak të provimeve; prokurimi i kamerave u ankimua.",
        "Takimet me prindërit të rifillojnë në shtator; Bashkia të përgatisë një plan alternativ për "
        "kamerat.",
    ),
    6: (
        "U përmbyll cikli i orëve edukative ligjore: 20 orë me 640 nxënës. U publikua raporti gjashtëmujor i "
        "KVSP-së. Harta e zonave të nxehta u rishikua për herë të dytë.",
        "Takimi dymujor me OJF-të nuk u zhvillua në qershor.",
        "Policia të caktojë një zëvendës për takimet me OJF-të kur drejtuesit janë të angazhuar.",
    ),
    7: (
        "U shpërndanë fletëpalosje me numrat e kontaktit në shkolla dhe në zyrat e gjendjes civile. U "
        "përgatit kalendari i takimeve policia–shkolla–prindër për vitin e ri shkollor.",
        "Mungojnë ende fondet për databazën e rasteve të dhunës në familje.",
        "Çështja e fondeve të databazës të ngrihet në mbledhjen e ardhshme të Këshillit.",
    ),
    8: (
        "Kontrata e kamerave u nënshkrua dhe u instaluan 8 kamerat e para. Ndërlidhësit komunitarë u "
        "trajnuan për referimin e rasteve të dhunës në familje.",
        "Takimi dymujor me OJF-të nuk u zhvillua as në gusht.",
        "SKN-ja të ndjekë zbatimin e kalendarit të takimeve me OJF-të.",
    ),
    9: (
        "Numrat e kontaktit janë publikuar në të gjitha njësitë administrative. Rifilluan takimet me "
        "prindërit dhe u rikuperua takimi me OJF-të.",
        "Aktiviteti 1.2.2 mbetet me dy afate të humbura.",
        "Të vendoset një kalendar fiks takimesh me OJF-të për tremujorin e fundit.",
    ),
    10: (
        "U publikuan njoftimet për ecurinë e 12 ankesave të qytetarëve. U zhvillua takimi me 7 OJF dhe me "
        "përfaqësues të komuniteteve rome dhe egjiptiane.",
        "Databaza e rasteve ende nuk është ngritur për mungesë fondesh.",
        "Të kërkohet mbështetje nga projektet e donatorëve në fushën e sigurisë në komunitet.",
    ),
    11: (
        "U përfunduan takimet policia–shkolla–prindër dhe konsultimet me OJF-të, në hapje të fushatës "
        "\u201c16 ditë aktivizim kundër dhunës ndaj grave\u201d. U instaluan 16 kamera.",
        "4 kamerat e fundit vonohen për shkak të furnizimit.",
        "Instalimi i kamerave të mbetura të ndiqet në planin e vitit 2023.",
    ),
    12: (
        "Viti u mbyll me 7 aktivitete të përfunduara, 5 në vazhdim, 1 me vonesë dhe 1 të anuluar. U "
        "zhvillua takimi i gjashtë informues i vitit. Databaza e rasteve është në testim.",
        "Aktivitetet 1.2.2 dhe 1.7.3 mbeten të papërfunduara; kamerat e fundit priten në janar.",
        "Aktivitetet e papërfunduara të kalohen në planin shumaktorial vendor 2023.",
    ),
}


def _people() -> dict:
    wanted = [CHAIR, SKN_MUNICIPALITY, SKN_POLICE, SKN_PROSECUTION]
    return {user.email: user for user in get_user_model().objects.filter(email__in=wanted)}


def _activities(version) -> dict:
    """A version's activities (with their lead), keyed "row.position": "1.4.1"."""
    found = {}
    for problem in version.problems.order_by("position"):
        for n, activity in enumerate(problem.activities.select_related("lead").order_by("position"), start=1):
            found[f"{problem.number}.{n}"] = activity
    return found


def _value(spec, units: int):
    value, note = spec if isinstance(spec, tuple) else (spec, "")
    return Decimal(units if value == "{units}" else value), note


def load() -> int:
    """Create the demo year of monitoring once; returns how many records were created."""
    people = _people()
    if len(people) < 4:
        return 0
    council = Council.objects.select_related("municipality").get(municipality__slug="elbasan")
    plan = Plan.objects.filter(council=council, year=YEAR).first()
    if plan is None:
        return 0
    versions = list(plan.versions.published().order_by("number"))
    if not versions:
        return 0
    first, newest = versions[0], versions[-1]
    current = _activities(newest)
    earlier = _activities(first)
    units = AdministrativeUnit.objects.filter(municipality=council.municipality).count()
    recorded = set(StatusUpdate.objects.filter(council=council).values_list("activity_lineage", "date"))
    measured = set(IndicatorValue.objects.filter(council=council).values_list("indicator_lineage", "period"))
    reports = {r.month: r for r in MonthlyReport.objects.filter(council=council, year=YEAR)}
    planned = _planned_updates()
    # The council's own report template first: the year's reports are written on it.
    created = demo_template.load()
    for month in range(1, 13):
        created += _updates(month, planned, current, earlier, newest, recorded, people)
        created += _values(month, current, measured, units, people)
        created += _report(council, month, reports.get(month), people)
    return created


def _planned_updates() -> list[dict]:
    with open(UPDATES_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["date"] = date.fromisoformat(row["date"])
        row["progress"] = int(row["progress"])
    return sorted(rows, key=lambda row: row["date"])


def _updates(month, planned, current, earlier, newest, recorded, people) -> int:
    """The status updates dated in ``month``, in date order."""
    created = 0
    for row in planned:
        on = row["date"]
        if on.month != month:
            continue
        activity = current[row["activity"]]
        if (activity.lineage, on) in recorded:
            continue
        # Before the revision's decision, the update goes on version 1's row, then in force.
        if newest.decision_date and on < newest.decision_date and row["activity"] in earlier:
            activity = earlier[row["activity"]]
        services.update_record(
            activity=activity,
            user=people[AUTHORS.get(activity.lead.name if activity.lead else "", SKN_MUNICIPALITY)],
            status=row["status"],
            progress=row["progress"],
            date=on,
            note=row["note"],
            spent=SPENT.get((row["activity"], on.isoformat())),
        )
        created += 1
    return created


def _values(month, current, measured, units, people, year: int = YEAR) -> int:
    """The values of the indicators whose period ends in ``month`` of ``year``."""
    created = 0
    for key, per_indicator in VALUES.items():
        activity = current[key]
        author = people[AUTHORS.get(activity.lead.name if activity.lead else "", SKN_MUNICIPALITY)]
        for indicator, values in zip(activity.indicators.order_by("position"), per_indicator, strict=False):
            for period, spec in zip(periods(indicator.frequency, year), values, strict=False):
                if spec is None or period.end.month != month or (indicator.lineage, period.code) in measured:
                    continue
                value, note = _value(spec, units)
                parts = None
                if indicator.disaggregation == "sex":  # girls a little over half, as in Elbasan's schools
                    girls = value * 53 // 100
                    parts, value = {"f": girls, "m": value - girls}, None
                services.value_record(
                    indicator=indicator,
                    user=author,
                    period=period.code,
                    value=value,
                    note=note,
                    breakdown=parts,
                )
                created += 1
    return created


def _report(council, month, report, people, *, year: int = YEAR, narrative=None, waiting=False) -> int:
    """Take the month's report from wherever it stands to published (``waiting``: to submitted, left
    for the chair with its notice); returns 1 if it was created."""
    created = 0
    if report is None:
        report = services.report_start(council=council, year=year, month=month)
        created = 1
    if report.is_editable:
        summary, difficulties, proposals = narrative or REPORTS[month]
        report = services.report_update(
            report=report, summary=summary, difficulties=difficulties, proposals=proposals
        )
        report = services.report_submit(report=report, user=people[SKN_MUNICIPALITY])
    if waiting:
        return created
    if report.status == MonthlyReport.Status.SUBMITTED:
        report = services.report_approve(report=report, user=people[CHAIR])
    if report.status == MonthlyReport.Status.APPROVED:
        report = services.report_publish(report=report)
    # Its notices, given today by the services as the steps are taken, were handled then: none
    # waits in the demo people's notification centres (nor leaves as an e-mail).
    handoffs.withdraw_all(report)
    return created
