"""Each municipality's grammatical forms (gender, definite, genitive) from the reference file
councils/data/municipality_forms.csv: the loader the tests' flushed databases use. Migration 0009
holds the same rows written out, so that its effect never depends on the file."""

import csv
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "municipality_forms.csv"


def rows() -> list[tuple[str, str, str, str]]:
    """(name, gender, definite, genitive) for each municipality, as the file lists them."""
    with open(PATH, encoding="utf-8", newline="") as handle:
        return [
            (row["municipality"], row["gender"], row["definite"], row["genitive"])
            for row in csv.DictReader(handle)
        ]


def load(municipality_model) -> None:
    """Write the forms onto the municipalities (idempotent)."""
    for name, gender, definite, genitive in rows():
        municipality_model.objects.filter(name=name).update(
            gender=gender, definite=definite, genitive=genitive
        )
