"""Every public page on a phone (360 x 740, Albanian): nothing scrolls sideways, axe-core finds no
serious or critical violation and the Nu HTML Checker no error; on a council's page the citizen's
action (raise a concern, follow my concern) comes before the council's composition.

The public pages are the authorization matrix's rows answering 200 to the anonymous visitor
(the same derivation as tests/e2e/test_every_page.py), on the matrix's own objects."""

import json

import pytest
from django.conf import settings

from tests.authz.matrix_ctx import build_ctx
from tests.authz.matrix_lib import ANON
from tests.e2e.test_every_page import HTML, _targets, _vnu_errors
from tests.fixtures.browser import Auditor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}

# The widest elements of the page: those whose right edge passes the window's, innermost first
# (an element whose descendant also overflows is the descendant's container, not the cause), and
# not clipped by a scroll container inside the page (which does not widen the page).
WIDEST = """() => {
  const limit = window.innerWidth;
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  // An element's right edge, content that overflows it included (unless it scrolls or clips it).
  const right = e => {
    const r = e.getBoundingClientRect();
    if (getComputedStyle(e).overflowX !== 'visible') return r.right;
    return Math.max(r.right, r.left + e.scrollWidth);
  };
  const over = [...document.querySelectorAll('body *')].filter(e => {
    return e.getBoundingClientRect().width > 0 && right(e) > limit + 0.5 && !clipped(e);
  });
  const innermost = over.filter(e => !over.some(o => o !== e && e.contains(o)));
  const describe = e => {
    let name = e.tagName.toLowerCase();
    if (e.id) name += '#' + e.id;
    if (e.classList.length) name += '.' + [...e.classList].join('.');
    const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `${name} (right edge ${Math.round(right(e))} px) "${text}"`;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: limit,
    culprits: innermost
      .sort((a, b) => right(b) - right(a))
      .slice(0, 5).map(describe),
  };
}"""


# A long unbroken address, as councils type them: it wraps instead of widening the page.
LONG_EMAIL = "sekretariati.teknik.i.keshillit.vendor.per.sigurine.publike@bashkia-elbasan.gov.al"


def public_pages() -> list[tuple[str, str]]:
    """(matrix key, path) of every product page the anonymous visitor gets."""
    from councils.models import Council

    ctx = build_ctx()
    Council.objects.filter(municipality__slug="elbasan").update(contact_email=LONG_EMAIL)
    pages = []
    for key, principal, row in _targets("product"):
        if principal == ANON:
            pages.append((key, row.path(ctx) if callable(row.path) else row.path))
    return pages


def test_no_public_page_scrolls_sideways_on_a_phone(
    live_server, browser, axe_source, reference_data, tmp_path
):
    pages = public_pages()
    assert any(key == "portal:council" for key, _ in pages), "the council's public page is not listed"
    auditor = Auditor(axe_source, checker_url="")
    context = browser.new_context(locale="sq-AL", viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sq", "url": live_server.url}])
    page = context.new_page()
    problems: list[str] = []
    files: dict = {}
    audited = 0
    for key, path in pages:
        url = live_server.url + path
        response = context.request.get(url, max_redirects=0)
        if response.status != 200:
            problems.append(f"{key} ({path}): {response.status}, the matrix says 200")
            continue
        if not response.headers.get("content-type", "").startswith(HTML):
            continue
        name = tmp_path / f"{len(files):03d}.html"
        source = response.text()
        if key == "portal:council":
            assert LONG_EMAIL in source, "the long address is not on the council's page"
        name.write_text(source, encoding="utf-8")
        files[name] = f"{key} ({path})"
        page.goto(url)
        page.wait_for_load_state("load")
        audited += 1
        width = page.evaluate(WIDEST)
        if width["scrollWidth"] > width["innerWidth"]:
            problems.append(
                f"{key} ({path}) scrolls sideways: {width['scrollWidth']} px wide in a "
                f"{width['innerWidth']} px window; widest: {width['culprits']}"
            )
        for violation in auditor.serious_violations(page):
            problems.append(f"{key} ({path}): axe {json.dumps(violation, ensure_ascii=False)}")
    context.close()
    for name, errors in _vnu_errors(files).items():
        label = next((v for k, v in files.items() if str(k) == name), name)
        problems.extend(f"{label}: HTML {error}" for error in errors)
    print(f"\n{audited} public pages audited at {PHONE['width']} px")
    assert audited >= 20, f"only {audited} public pages were audited"
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_overflow_check_catches_a_wide_element(browser):
    """The check itself: a long unbreakable line makes the page wider than the window, and the
    culprit is named."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        f'<p id="long">{"x" * 200}</p></main></body></html>'
    )
    width = page.evaluate(WIDEST)
    context.close()
    assert width["scrollWidth"] > width["innerWidth"]
    assert width["culprits"][0].startswith("p#long")


def test_on_a_phone_the_council_page_puts_the_citizens_action_first(live_server, browser, reference_data):
    build_ctx()  # the matrix's council: its composition, consultations, meetings, plan, reports
    path = next(row.path for key, _, row in _targets("product") if key == "portal:council")
    context = browser.new_context(locale="sq-AL", viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sq", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + path)
    concern = page.locator("main a[href$='/concerns/new/']").first
    follow = page.locator("main form[action*='concern']").first
    composition = page.locator("main table").last
    assert composition.count() and concern.count() and follow.count()
    concern_y = concern.bounding_box()["y"]
    follow_y = follow.bounding_box()["y"]
    composition_y = composition.bounding_box()["y"]
    context.close()
    assert concern_y < composition_y and follow_y < composition_y
    # The citizen's action is on the first screen, not three and a half screens down.
    assert concern_y < PHONE["height"]


def test_on_a_phone_a_council_search_lands_on_its_results(live_server, browser, reference_data):
    context = browser.new_context(locale="sq-AL", viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sq", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#council-search").fill("Elbasan")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**#results")
    page.wait_for_load_state("load")
    # The browser scrolls to the fragment (smoothly, where motion is not reduced; as far as the
    # page's height allows when the results are short).
    page.wait_for_function("() => window.scrollY > 0", timeout=5000)
    page.wait_for_timeout(300)
    url = page.url
    top = page.locator("#results").bounding_box()["y"]
    status = page.locator("#results [role=status]").inner_text()
    first = page.locator("#results a[href='/elbasan/']").bounding_box()["y"]
    context.close()
    assert url.endswith("?q=Elbasan#results")
    assert "Elbasan" in status
    # The results and the match are on the screen the citizen sees, not screens down.
    assert 0 <= top < PHONE["height"] / 2
    assert top < first < PHONE["height"] - 20
