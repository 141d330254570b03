"""Demo registers for `load_demo`: a year (2025) of Elbasan's referral figures and two cooperation
agreements with their signed documents. Idempotent: a second run changes nothing."""

from datetime import date

from django.core.files.base import ContentFile

from ..models import Council, Institution
from .models import CooperationAgreement, ReferralCount

YEAR = 2025
# (issue, body, outcome, cases in each month of the year): figures of the size the guide's Elbasan
# statistics suggest (56 cases of domestic violence in 2021).
FIGURES = [
    ("domestic_violence", "referral_mechanism", "assisted", [3, 2, 4, 3, 5, 2, 3, 4, 3, 5, 4, 3]),
    ("domestic_violence", "referral_mechanism", "pending", [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 2]),
    ("domestic_violence", "police", "referred_on", [1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1]),
    ("child_protection", "child_protection_unit", "assisted", [2, 1, 1, 2, 1, 0, 1, 2, 2, 1, 1, 2]),
    ("child_protection", "social_services", "closed", [0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0]),
    ("drugs", "health_centre", "assisted", [1, 1, 2, 1, 1, 2, 2, 1, 1, 2, 1, 1]),
    ("drugs", "ngo", "referred_on", [0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0]),
    ("juvenile_offending", "social_services", "assisted", [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0]),
    ("school_violence", "child_protection_unit", "closed", [1, 1, 2, 1, 1, 0, 0, 0, 2, 1, 1, 1]),
    ("trafficking", "referral_mechanism", "declined", [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]),
]

AGREEMENTS = [
    {
        "title": (
            "Memorandum bashkëpunimi me Drejtorinë Rajonale të Arsimit Parauniversitar Elbasan për "
            "sigurinë në shkolla"
        ),
        "scope": (
            "Patrullime të policisë pranë shkollave në orët e hyrjes dhe daljes, orë edukative ligjore "
            "për nxënësit e klasave 8–12 dhe referimi i rasteve të dhunës në shkollë te Njësia për "
            "Mbrojtjen e Fëmijëve."
        ),
        "institutions": [
            "Bashkia Elbasan",
            "Komisariati i Policisë Elbasan",
            "Zyra Vendore Arsimore Elbasan",
        ],
        "other_parties": "Drejtoria Rajonale e Arsimit Parauniversitar Elbasan",
        "signed_on": date(2025, 2, 14),
        "valid_until": date(2027, 2, 14),
        "file": "memorandum-drap-elbasan.pdf",
    },
    {
        "title": "Marrëveshje me Qendrën “Sot për të Ardhmen” për referimin e rasteve të dhunës në familje",
        "scope": (
            "Qendra pranon rastet e referuara nga Mekanizmi i Koordinuar i Referimit për këshillim "
            "psiko-social dhe ndihmë juridike falas; raporton çdo tre muaj vetëm numrin e rasteve të "
            "ndihmuara, pa asnjë të dhënë personale."
        ),
        "institutions": [
            "Bashkia Elbasan",
            "Njësia për Mbrojtjen e Fëmijëve dhe kundër Dhunës në Familje, Bashkia Elbasan",
        ],
        "other_parties": "Qendra “Sot për të Ardhmen”",
        "signed_on": date(2025, 5, 6),
        "valid_until": None,
        "file": "marreveshje-sot-per-te-ardhmen.pdf",
    },
]


def signed_pdf(title: str) -> bytes:
    """A one-page PDF standing for the signed scan."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")[:90]
    stream = b"BT /F1 11 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def load() -> int:
    """Create Elbasan's demo registers; returns how many records were created."""
    council = Council.objects.get(municipality__slug="elbasan")
    created = 0
    for issue, body, outcome, months in FIGURES:
        for month, cases in enumerate(months, start=1):
            if cases:
                _row, new = ReferralCount.objects.get_or_create(
                    council=council,
                    year=YEAR,
                    month=month,
                    issue_type=issue,
                    body=body,
                    outcome=outcome,
                    defaults={"cases": cases},
                )
                created += new
    for values in AGREEMENTS:
        if CooperationAgreement.objects.filter(council=council, title=values["title"]).exists():
            continue
        agreement = CooperationAgreement(
            council=council,
            title=values["title"],
            scope=values["scope"],
            other_parties=values["other_parties"],
            signed_on=values["signed_on"],
            valid_until=values["valid_until"],
        )
        agreement.document.save(values["file"], ContentFile(signed_pdf(values["title"])), save=False)
        agreement.save()
        agreement.institutions.set(
            Institution.objects.filter(name__in=values["institutions"], seats__council=council).distinct()
        )
        created += 1
    return created
