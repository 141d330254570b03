"""The layers between the apps (README "Architecture") where import-linter cannot look.

import-linter (`make lint`, contracts in pyproject.toml) checks the imports. Two things it cannot
see are checked here: the URL names an app refers to (``reverse("portal:...")``, ``{% url ... %}``)
point only at its own app or a lower layer; and every views module is listed in the "no app imports
another app's views" contract, so a new one is not silently left out of it.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The layers, top to bottom (pyproject.toml's "layers" contract), each app as its folder. Apps in
# one layer may refer to each other only where the contract makes them non-independent siblings.
LAYERS = (
    ("kvsp/portal", "kvsp/audit"),
    ("monitoring",),
    ("plans",),
    ("consultations",),
    ("councils",),
    ("kvsp/core", "kvsp/notify"),
)
NON_INDEPENDENT = {("kvsp/core", "kvsp/notify")}
RANK = {app: len(LAYERS) - index for index, layer in enumerate(LAYERS) for app in layer}

# Template folders (templates/<folder>/) and the app they belong to; the others (base.html,
# includes/, pdf/, admin/, django/, simple_history/) are the shared layout, outside the layers.
TEMPLATE_FOLDERS = {
    "portal": "kvsp/portal",
    "help": "kvsp/portal",
    "audit": "kvsp/audit",
    "monitoring": "monitoring",
    "plans": "plans",
    "consultations": "consultations",
    "councils": "councils",
    "meetings": "councils",
    "registration": "kvsp/core",
    "notify": "kvsp/notify",
}

PY_URL = re.compile(r"""\b(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*["']([\w-]+):""")
TEMPLATE_URL = re.compile(r"""\{%\s*url\s+["']([\w-]+):""")
APP_NAME = re.compile(r"""^app_name\s*=\s*["']([\w-]+)["']""", re.MULTILINE)


def app_of(path: Path) -> str | None:
    """The app a product file belongs to: the longest app folder containing it."""
    relative = path.relative_to(ROOT).as_posix()
    owners = [app for app in RANK if relative.startswith(app + "/")]
    return max(owners, key=len) if owners else None


def namespaces() -> dict[str, str]:
    """Each URL namespace (a urls module's app_name) and the app that declares it."""
    found = {}
    for app in RANK:
        for urls in (ROOT / app).rglob("*urls.py"):
            for name in APP_NAME.findall(urls.read_text()):
                found[name] = app_of(urls)
    return found


def references():
    """(file, app, namespace) for every URL name a product file or template refers to."""
    for app in RANK:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                for namespace in PY_URL.findall(path.read_text()):
                    yield path, app_of(path), namespace
    for folder, app in TEMPLATE_FOLDERS.items():
        for path in (ROOT / "templates" / folder).rglob("*.html"):
            for namespace in TEMPLATE_URL.findall(path.read_text()):
                yield path, app, namespace


def allowed(source: str, target: str) -> bool:
    """Whether ``source`` may name an address of ``target``: its own, or a lower layer's."""
    if source == target or RANK[target] < RANK[source]:
        return True
    return RANK[target] == RANK[source] and (
        (source, target) in NON_INDEPENDENT or (target, source) in NON_INDEPENDENT
    )


def upward_references(refs) -> list[str]:
    owners = namespaces()
    return sorted(
        f"{path.relative_to(ROOT)}: {app} names {namespace}: ({owners[namespace]})"
        for path, app, namespace in refs
        if namespace in owners and not allowed(app, owners[namespace])
    )


def test_every_namespace_of_the_product_belongs_to_an_app_of_the_layers():
    assert {"portal", "api", "audit", "monitoring", "plans", "consultations", "councils"} <= set(namespaces())
    assert {"meetings", "accounts", "notify"} <= set(namespaces())


def test_url_names_across_layers_point_only_downward():
    assert upward_references(references()) == []


@pytest.mark.parametrize(
    ("app", "namespace", "upward"),
    [
        ("monitoring", "portal", True),
        ("kvsp/core", "meetings", True),
        ("kvsp/audit", "portal", True),
        ("kvsp/portal", "monitoring", False),
        ("kvsp/notify", "accounts", False),
        ("plans", "plans", False),
    ],
)
def test_the_check_catches_an_upward_reference(app, namespace, upward):
    path = ROOT / app / "example.py"
    assert bool(upward_references([(path, app, namespace)])) is upward


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('url = reverse("portal:council", args=[slug])', PY_URL),
        ("success_url = reverse_lazy('portal:home')", PY_URL),
        ('return redirect("portal:council", slug)', PY_URL),
        ("<a href=\"{% url 'portal:council' council.slug %}\">", TEMPLATE_URL),
        ('{% url "portal:home" as home %}', TEMPLATE_URL),
    ],
)
def test_the_scan_finds_each_way_of_naming_an_address(text, pattern):
    assert pattern.findall(text) == ["portal"]


def test_every_views_module_is_in_the_no_foreign_views_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "no-foreign-views"]
    views = set()
    for app in RANK:
        if app == "kvsp/core":  # the shared view base classes every app may import
            continue
        for path in (ROOT / app).rglob("*.py"):
            if path.stem == "views" or path.stem.startswith("views_") or path.stem.endswith("_views"):
                views.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    assert views == set(contract["forbidden_modules"])
