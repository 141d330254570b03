"""Where the Elbasan demo plans' problems are (plans/demo.py; issue 23 item 5): the drugs among the
young and the hotspots in the town (the Elbasan unit, where the concerns about schools, parks and
the blocks near the station came from), domestic violence in Shushicë (reworked after the
consultation held there); the culture of silence concerns the whole municipality."""

from councils.models import AdministrativeUnit, Council

# By row number (Table 1's): the name of the row's administrative unit; absent: the whole municipality.
ROW_UNITS = {"1.4": "Elbasan", "1.5": "Shushicë", "1.7": "Elbasan"}


def unit_of(council: Council, number: str) -> AdministrativeUnit | None:
    name = ROW_UNITS.get(number)
    if name is None:
        return None
    return AdministrativeUnit.objects.filter(municipality=council.municipality_id, name=name).first()
