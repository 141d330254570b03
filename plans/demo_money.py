"""What Elbasan's demo activities cost and who pays (issue 22, item 6): plausible estimates in lek
for a municipality of its size, paid from the municipality's budget (Bashkia Elbasan), the
police's or the prosecution's own budget, or a donor (UNDP, OSBE). Activities not listed carry no
estimate, as a plan may leave some without one."""

from .tags import FundingSource

MUNICIPAL, INSTITUTION, DONOR = FundingSource.MUNICIPAL, FundingSource.INSTITUTION, FundingSource.DONOR

# text of the activity (plans/demo.py): (estimated cost in lek, funding source, funder)
ACTIVITY_MONEY: dict[str, tuple[int, str, str]] = {
    "Rritja e komunikimit dhe transparencës të çdo institucioni në mënyrë periodike me qytetarët.": (
        350_000,
        MUNICIPAL,
        "Bashkia Elbasan",
    ),
    "Mbajtja e takimeve periodike me OJF-të dhe grupe të tjera të interesit nga institucionet e "
    "\u201ctrekëndëshit\u201d.": (150_000, INSTITUTION, "Drejtoria Vendore e Policisë Elbasan"),
    "Rritja e komunikimit dhe partneritetit të policisë me qytetarët.": (
        200_000,
        INSTITUTION,
        "Drejtoria Vendore e Policisë Elbasan",
    ),
    "Zhvillimi i orëve edukative ligjore nga Prokuroria për të rinjtë.": (
        480_000,
        DONOR,
        "OSBE (Prezenca në Shqipëri)",
    ),
    "Përmirësimi i komunikimit dhe bashkëpunimit midis policisë, shkollës, nxënësve dhe prindërve.": (
        300_000,
        MUNICIPAL,
        "Bashkia Elbasan",
    ),
    "Konsultimi midis bashkisë dhe OJF-ve për të identifikuar problematikat/fushat prioritare.": (
        250_000,
        MUNICIPAL,
        "Bashkia Elbasan",
    ),
    "Drejtoria vendore e Policisë Elbasan do të ndërmarrë krijimin e një databaze.": (
        1_250_000,
        DONOR,
        "UNDP",
    ),
    "Vendosja e numrave të kontaktit me viktimat e dhunës dhe përfaqësues të Komisariatit të Policisë.": (
        400_000,
        MUNICIPAL,
        "Bashkia Elbasan",
    ),
    "Identifikimi i zonave të nxehta dhe publikimi i tyre.": (
        600_000,
        INSTITUTION,
        "Drejtoria Vendore e Policisë Elbasan",
    ),
    "Përmirësimi i një sistemi vëzhgues të kamerave në qytet.": (2_000_000, MUNICIPAL, "Bashkia Elbasan"),
}


def money_of(text: str) -> dict:
    """The service's money arguments for a demo activity (none: no estimate)."""
    cost, source, funder = ACTIVITY_MONEY.get(text, (None, "", ""))
    return {"estimated_cost": cost, "funding_source": source, "funder": funder}
