"""Keyboard only, in Chromium: Tab, Shift+Tab, Enter, Space, arrows and typing; never a mouse
click. The first tab stop skips to the content; every element that takes the focus shows it (an
outline or a box-shadow). Flows: a citizen raises a concern; an SKN member signs in (password
and second factor) and records an activity's status update."""

import re

import pytest
from playwright.sync_api import expect

from councils.models import Role
from tests.authz.matrix_ctx import build_ctx
from tests.factories import UserFactory, council, give_role
from tests.fixtures.accounts import current_code, otp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name'), id: el.id,
          cls: el.className, text: (el.innerText || el.value || '').trim().slice(0, 40),
          visible: outline || shadow};
}"""


def _focused(page) -> dict:
    """The focused element; it must show its focus (the main region, a skip target, excepted)."""
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "the focus was lost"
    if focused["tag"] != "main":
        assert focused["visible"], f"no visible focus on {focused} at {page.url}"
    return focused


def _tab_to(page, selector: str, *, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus, checking the focus each step."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = _focused(page)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return focused
    pytest.fail(f"{selector} was never reached with the keyboard on {page.url}")


def _skip_link_first(page) -> None:
    """The first tab stop is the skip link; Enter moves on to the main content. A form that puts
    the focus in its first field (autofocus: the sign-in) starts there instead."""
    if page.evaluate("document.activeElement.hasAttribute('autofocus')"):
        _focused(page)
        return
    page.keyboard.press("Tab")
    first = _focused(page)
    assert "skip-link" in first["cls"], f"the first tab stop is {first}, not the skip link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main" or page.url.endswith("#main")


def _choose_option(page, selector: str) -> None:
    """On a focused select: the arrow keys choose the next option."""
    _tab_to(page, selector)
    page.keyboard.press("ArrowDown")
    assert page.locator(selector).input_value() != ""


def test_a_citizen_raises_a_concern_with_the_keyboard(page, live_server, reference_data):
    council("elbasan")
    page.goto(live_server.url + "/elbasan/concerns/new/")
    _skip_link_first(page)
    _tab_to(page, "main textarea[name=text]")
    page.keyboard.type("Ndriçimi i rrugës pranë shkollës nuk punon prej një muaji.")
    _choose_option(page, "main select[name=category]")
    _tab_to(page, "main input[name=neighbourhood]")
    page.keyboard.type("Lagjja Kristoforidhi")
    # Back to the text with Shift+Tab: still there, and the focus still shows.
    _tab_to(page, "main textarea[name=text]", backwards=True)
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Faleminderit. Shqetësimi juaj u mor.")).to_be_visible()
    assert re.search(r"/elbasan/concerns/[2-9A-Z]{4}-[2-9A-Z]{4}/(#main)?$", page.url)


def test_an_skn_member_signs_in_and_records_an_update_with_the_keyboard(page, live_server, reference_data):
    ctx = build_ctx()
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    give_role(council("elbasan"), Role.SKN_POLICE, user=skn)
    device = otp_device_for(skn)

    # --- signing in: password, then the second factor ---------------------------------------------
    page.goto(live_server.url + "/accounts/login/")
    _skip_link_first(page)
    assert page.evaluate("document.activeElement.name") == "username"  # autofocus
    page.keyboard.type(skn.email)
    _tab_to(page, "main input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    _skip_link_first(page)
    if page.evaluate("document.activeElement.name") != "code":
        _tab_to(page, "main input[name=code]")
    page.keyboard.type(current_code(device))
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    # --- the activity's status update -----------------------------------------------------------------
    page.goto(live_server.url + ctx["own"].path("monitoring/activities/{lineage}/"))
    _skip_link_first(page)
    _tab_to(page, "main select[name=status]")
    # The arrows move through the options: down to "done", and back up to "in progress".
    page.keyboard.press("ArrowDown")
    expect(page.locator("main select[name=status]")).to_have_value("done")
    page.keyboard.press("ArrowUp")
    expect(page.locator("main select[name=status]")).to_have_value("in_progress")
    _tab_to(page, "main input[name=progress]")
    page.keyboard.press("Control+A")
    page.keyboard.type("60")
    _tab_to(page, "main textarea[name=note]")
    page.keyboard.type("Edhe dy orë në shkollën e mesme.")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Përditësimi u regjistrua.")).to_be_visible()
    expect(page.locator("main table").last).to_contain_text("Edhe dy orë në shkollën e mesme.")
