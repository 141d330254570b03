"""The plan in and out of Excel (plans/import_urls.py), written by hand from plans/rules.py:

- the template and the import belong with editing: the SKN and the technical secretary (and the
  platform admin), not a plain member, the chair as such, an invited guest or the observer;
- a version's workbook is read as the version's page: {draft} (v2 of {year}) is a draft, so the
  council's own people but neither an invited guest nor the national observer (who may read only
  approved versions: tests/plans/test_import.py checks the observer gets v1).

Downloads answer a POST with 405 once the permission is passed. The import answers an empty POST
with its form and the error (200); nothing is written. The year {year} has an open draft (v2).
"""

from tests.authz.matrix_lib import Row, council_row, roles

EDIT = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=200
)
EDIT_DOWNLOAD_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=403, observer=403, admin=405
)
DRAFT_DOWNLOAD = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
# The observer passes "view the council's plans" and meets the 405 before the draft's own check.
DRAFT_DOWNLOAD_POST = roles(
    anonymous=302, user=404, member=405, guest=403, skn=405, secretary=405, chair=405, observer=405, admin=405
)

ROWS: dict[str, Row] = {
    "plans:import-template": council_row(EDIT, EDIT_DOWNLOAD_POST, "plans/template.xlsx"),
    "plans:version-xlsx": council_row(DRAFT_DOWNLOAD, DRAFT_DOWNLOAD_POST, "plans/{year}/v{draft}/plan.xlsx"),
    "plans:import": council_row(EDIT, EDIT, "plans/{year}/import/"),
}
