"""The demo's problems and plan rows in the national problem taxonomy (issue 24, item 2): by the
words of their titles, so a row keeps its category whatever its number, in every year's plan and
in every version (a revision copies the category as well). Called by consultations/demo.py for the
problems of the prioritisation and by plans/demo.py for the plan rows (one line each)."""

from .taxonomy import ProblemCategory

# (words any of which the lower-cased title contains, category code), the first match wins: the
# hotspots of drugs or crime are a matter of public order before they are one of drugs.
TITLE_WORDS = [
    (("hotspot", "nxehta"), "public_order"),
    (("dhuna në familje", "dhunës në familje"), "domestic_violence"),
    (("narkotik", "alkool", "drog"), "drugs_alcohol_youth"),
    (("rrugor", "rrugëve", "rrugët", "trafik", "aksident"), "road_safety"),
    (("zhurm",), "public_order"),
    (("shkoll",), "school_safety"),
    (("vjedh", "pronë", "pronës"), "property_crime"),
    (("ekstremiz", "radikaliz"), "violent_extremism"),
    (("internet", "online"), "online_safety"),
    (("të mitur",), "juvenile_delinquency"),
]


def category_code(title: str) -> str:
    """The taxonomy code of a demo title: "other" when no words match (the culture of silence)."""
    text = title.lower()
    return next((code for words, code in TITLE_WORDS if any(word in text for word in words)), "other")


def category_of(title: str) -> ProblemCategory | None:
    return ProblemCategory.objects.filter(code=category_code(title), active=True).first()
