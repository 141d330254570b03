"""Load Albania's 12 counties, 61 municipalities and 373 administrative units.

The source is the project's own copy of the lists in ``councils/data/`` (county assignments as
after the 2015 territorial reform; "Dimal" is the former "Ura Vajgurore"). Slugs are the ASCII
form of the Albanian name ("Kuçovë" -> "kucove") and never change afterwards; names can be
corrected by a platform admin. Every municipality gets its council, not yet established.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    County = apps.get_model("councils", "County")
    Municipality = apps.get_model("councils", "Municipality")
    AdministrativeUnit = apps.get_model("councils", "AdministrativeUnit")
    Council = apps.get_model("councils", "Council")

    counties = {}
    municipalities = {}
    for row in _rows("municipalities.csv"):
        county_name = row["county"].strip()
        if county_name not in counties:
            counties[county_name], _ = County.objects.get_or_create(
                name=county_name, defaults={"slug": slugify(county_name)}
            )
        name = row["municipality"].strip()
        municipality, _ = Municipality.objects.get_or_create(
            name=name, defaults={"slug": slugify(name), "county": counties[county_name]}
        )
        municipalities[name] = municipality
        Council.objects.get_or_create(municipality=municipality)
    for row in _rows("admin_units.csv"):
        AdministrativeUnit.objects.get_or_create(
            municipality=municipalities[row["municipality"].strip()], name=row["admin_unit"].strip()
        )


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
