"""Authorization rows of the national roll-up (kvsp/portal/urls.py: national, national-json,
national-csv), written by hand from DESIGN.md ("Visibility": what the public pages show is public;
the roll-up adds up only that): public, for everyone alike, and read-only (a POST is no method of
it: 405). The drill-down is the same page with ?section=&key=&column=.
"""

from tests.authz.matrix_lib import Row, same

ROWS: dict[str, Row] = {
    "portal:national": Row(
        same(200), same(405), "/national/?year=2026&section=problems&key=other&column=total"
    ),
    "portal:national-json": Row(same(200), same(405), "/national/national.json?year=all"),
    "portal:national-csv": Row(same(200), same(405), "/national/problems.csv?year=2026"),
}
