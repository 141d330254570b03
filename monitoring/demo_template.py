"""Elbasan's own monthly report template for `load_demo` (guide, section 3.4): drafted by the SKN's
police seat, returned once by the chair (who asked for the overdue activities to come before the
indicators), submitted again and approved — version 1, in force for the reports opened after it.

Idempotent: a council with an approved version is left alone; a version left in the making by an
interrupted run is taken on from where it stands.
"""

from django.contrib.auth import get_user_model

from councils.models import Council

from . import template_services
from .models import ReportTemplate
from .template_handoffs import TemplateHandoff

CHAIR = "kryetari@elbasan.kvsp.demo"
SKN_POLICE = "skn.policia@elbasan.kvsp.demo"

FIRST_DRAFT = [
    {"kind": "summary", "heading": "Përmbledhje e gjendjes së sigurisë publike në muaj"},
    {"kind": "overview", "heading": "Ecuria e zbatimit të planit"},
    {"kind": "done", "heading": "Veprimtaritë e përfunduara gjatë muajit"},
    {"kind": "in_progress", "heading": "Veprimtaritë në vijim"},
    {"kind": "indicators", "heading": "Treguesit e matur"},
    {"kind": "overdue", "heading": "Veprimtaritë me afat të kaluar"},
    {"kind": "difficulties", "heading": "Vështirësitë dhe pengesat"},
    {"kind": "proposals", "heading": "Rekomandime për Kryetarin e KVSP-së"},
]
RETURN_COMMENT = (
    "Veprimtaritë me afat të kaluar dhe ato të vonuara të vendosen para treguesve, "
    "që të diskutohen të parat në mbledhjen e SKN-së."
)
APPROVED = [
    FIRST_DRAFT[0],
    FIRST_DRAFT[1],
    FIRST_DRAFT[2],
    FIRST_DRAFT[3],
    FIRST_DRAFT[5],
    {"kind": "delayed", "heading": "Veprimtaritë e vonuara dhe arsyet"},
    FIRST_DRAFT[4],
    {"kind": "spending", "heading": "Shpenzimet sipas burimit të financimit"},
    FIRST_DRAFT[6],
    FIRST_DRAFT[7],
]


def load() -> int:
    """Elbasan's approved template, once; returns how many versions were created."""
    users = {user.email: user for user in get_user_model().objects.filter(email__in=[CHAIR, SKN_POLICE])}
    council = Council.objects.filter(municipality__slug="elbasan").first()
    if council is None or len(users) < 2:
        return 0
    if ReportTemplate.objects.approved().filter(council=council).exists():
        return 0
    skn, chair = users[SKN_POLICE], users[CHAIR]
    current = template_services.open_version(council)
    created = 0 if current else 1
    if current is None or (current.status == ReportTemplate.Status.DRAFT and not current.returned_at):
        template_services.template_save(council=council, user=skn, sections=FIRST_DRAFT)
        template_services.template_submit(council=council, user=skn)
        template_services.template_return(council=council, user=chair, comment=RETURN_COMMENT)
    current = template_services.open_version(council)
    if current is not None and current.is_editable:
        template_services.template_save(council=council, user=skn, sections=APPROVED)
        template_services.template_submit(council=council, user=skn)
    template = template_services.template_approve(council=council, user=chair)
    # Handled long ago: the notices of these steps are done.
    from kvsp.notify import services as notify

    for kind in TemplateHandoff:
        notify.withdraw(f"{kind}:{template.pk}:")
    return created
