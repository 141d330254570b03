"""Elbasan's annual report of 2022 for `load_demo`: the year of monitoring.demo (meetings, the two
consultations, the plan's twelve monthly reports) summed up from what was recorded, with the SKN's
narrative, submitted by the SKN and approved by the chair — which freezes it, stores its PDF with
its SHA-256 and publishes it at /elbasan/reports/2022/. Its notices are marked handled (long ago).

Idempotent: the report is taken from wherever it stands to approved; an approved one never changes
and is left alone. Run after monitoring.demo and demo_compliance (the facts it reads).
"""

from django.contrib.auth import get_user_model

from councils.models import Council

from .annual import handoffs, services
from .annual.models import AnnualReport
from .demo import CHAIR, SKN_MUNICIPALITY, YEAR

NARRATIVE = {
    "summary": (
        "Në vitin 2022 Këshilli Vendor për Sigurinë Publike i Elbasanit zbatoi planin e parë vjetor të "
        "miratuar pas konsultimit të hapur në Shushicë. Këshilli u mblodh rregullisht, Sekretariati "
        "Koordinues Nëntitullar raportoi çdo muaj mbi ecurinë e veprimtarive dhe të gjitha raportet "
        "mujore u miratuan e u publikuan. Shumica e veprimtarive përparuan sipas kalendarit; shtatë "
        "prej tyre u përmbyllën brenda vitit, ndërsa një u anulua dhe disa pësuan vonesa."
    ),
    "achievements": (
        "Orët e edukimit ligjor në shkollat 9-vjeçare arritën mbi 700 nxënës, në bashkëpunim me "
        "Drejtorinë Vendore të Policisë dhe Prokurorinë. U rrit ndriçimi publik në lagjet ku qytetarët "
        "kishin ngritur shqetësime, dhe patrullimi i përbashkët pranë shkollave u bë i rregullt. "
        "Qytetarët morën përgjigje për shumicën e shqetësimeve të ngritura në konsultime."
    ),
    "difficulties": (
        "Disa veprimtari u vonuan për shkak të fondeve të pamjaftueshme dhe procedurave të prokurimit. "
        "Pjesëmarrja e të rinjve dhe e grave në konsultime mbetet më e ulët se sa synohej, dhe jo të "
        "gjitha institucionet anëtare morën pjesë në çdo mbledhje të Këshillit."
    ),
    "priorities": (
        "Për vitin 2023 Këshilli synon të forcojë parandalimin e dhunës në familje dhe të përdorimit të "
        "drogës tek të rinjtë, të zgjerojë pjesëmarrjen e grave dhe të rinjve në konsultime, dhe të "
        "sigurojë fonde në buxhetin e Bashkisë për veprimtaritë e vonuara."
    ),
}


def load() -> int:
    """Take Elbasan's annual report of 2022 to approved; returns 1 if it was created."""
    council = Council.objects.select_related("municipality").get(municipality__slug="elbasan")
    users = get_user_model().objects.in_bulk([CHAIR, SKN_MUNICIPALITY], field_name="email")
    chair, skn = users[CHAIR], users[SKN_MUNICIPALITY]
    report = AnnualReport.objects.filter(council=council, year=YEAR).first()
    created = 0
    if report is None:
        report = services.annual_start(council=council, year=YEAR, user=skn)
        created = 1
    if report.is_editable:
        report = services.annual_update(report=report, texts=NARRATIVE)
        report = services.annual_submit(report=report, user=skn)
    if report.status == AnnualReport.Status.SUBMITTED:
        seen = services.content_stamp(services.annual_content(report))
        report = services.annual_approve(report=report, user=chair, seen=seen)
    handoffs.withdraw_all(report)
    return created
