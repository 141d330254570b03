"""The open-data API, /api/v1/ (kvsp/portal/api_urls.py): public and read-only.

Everyone — anonymous or signed in, whatever their role — reads the same published data (200), and
every write is 405: the API has no write, and no authentication that could turn a POST into a
CSRF 403. The plan addresses use Elbasan's plan of {year}, whose v1 is approved (its v2 is a draft:
tests/portal/test_api.py shows a draft is 404 for everyone).
"""

from tests.authz.matrix_lib import Row, same


def _api(page: str):
    return lambda ctx: "/api/v1/" + ctx["own"].fill(page)


ROWS: dict[str, Row] = {
    "api:root": Row(same(200), same(405), "/api/v1/"),
    "api:schema": Row(same(200), same(405), "/api/v1/schema/"),
    "api:council-list": Row(same(200), same(405), "/api/v1/councils/"),
    "api:council-detail": Row(same(200), same(405), "/api/v1/councils/elbasan/"),
    "api:plan-list": Row(same(200), same(405), "/api/v1/councils/elbasan/plans/"),
    # The newest published version of the year: v1 (v2 is still a draft).
    "api:plan-detail": Row(same(200), same(405), _api("councils/elbasan/plans/{year}/")),
    "api:version-detail": Row(same(200), same(405), _api("councils/elbasan/plans/{year}/v{approved}/")),
}
