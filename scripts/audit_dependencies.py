"""The dependency audit of .ci/run: known vulnerabilities in every package installed in .venv.

1. pip-audit, when its advisory service answers (PyPI's per-version JSON API): ``--strict``, so a
   finding or a package it cannot audit fails the run. Accepted findings are passed as
   ``--ignore-vuln ID`` and explained in the README ("Dependency audit").
2. Where that service does not answer (some package mirrors and proxies serve only PyPI's
   project pages, ``/pypi/<name>/json``), the same question from what does answer: each project's
   page lists the advisories of its newest release. A package installed at its newest release is
   audited from it, and any advisory fails the run; a package held below its newest release (a
   range in pyproject.toml, such as Django's 5.2 LTS) cannot be audited this way and is listed by
   name, so the gap is visible in the log rather than hidden.

Exit status: 0 clean, 1 a finding, 2 the audit could not run at all.
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from packaging.version import InvalidVersion, Version

IGNORED: dict[str, str] = {}  # advisory ID -> why it is accepted (mirrored in the README)
PYPI = "https://pypi.org/pypi"


def pip_audit() -> int | None:
    """pip-audit's answer, or None when its service cannot be reached."""
    command = [str(Path(sys.executable).parent / "pip-audit"), "--strict", "--progress-spinner", "off"]
    for advisory in IGNORED:
        command += ["--ignore-vuln", advisory]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 (our own venv's tool)
    print(result.stdout, end="")
    if result.returncode == 0:
        return 0
    if "Dependency not found on PyPI" in result.stderr or "Connection" in result.stderr:
        print("pip-audit: its advisory service does not answer here:", result.stderr.strip().splitlines()[-1])
        return None
    print(result.stderr, end="", file=sys.stderr)
    return 1


def project(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{PYPI}/{name}/json", timeout=30) as response:  # noqa: S310 (https)
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def _newest_of_series(version: str, releases) -> str:
    """The newest final release of ``version``'s major.minor series."""
    mine = Version(version)
    series = [
        Version(v)
        for v in releases
        if _parses(v) and Version(v).release[:2] == mine.release[:2] and not Version(v).is_prerelease
    ]
    return str(max([*series, mine]))


def _parses(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def from_project_pages() -> int:
    installed = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            installed[name.lower()] = dist.version
    findings, held, unknown, clean = [], [], [], 0
    for name, version in sorted(installed.items()):
        page = project(name)
        if page is None:
            unknown.append(name)
            continue
        newest = page["info"]["version"]
        if version != newest:
            newest_patch = _newest_of_series(version, page.get("releases", {}))
            state = "the newest of its series" if newest_patch == version else f"{newest_patch} is out"
            held.append(f"{name} {version} ({state}; newest {newest})")
            continue
        advisories = [v for v in page.get("vulnerabilities", []) if v["id"] not in IGNORED]
        if advisories:
            findings += [
                f"{name} {version}: {v['id']} (fixed in {', '.join(v['fixed_in'])})" for v in advisories
            ]
        else:
            clean += 1
    print(f"{clean} packages at their newest release, no advisory.")
    if held:
        print(f"Not audited here ({len(held)}, held below their newest release): " + "; ".join(held))
    if unknown:
        print(f"Not on PyPI ({len(unknown)}): " + ", ".join(unknown))
    for finding in findings:
        print("VULNERABLE:", finding)
    return 1 if findings else 0


def main() -> int:
    answer = pip_audit()
    if answer is not None:
        return answer
    try:
        return from_project_pages()
    except (urllib.error.URLError, TimeoutError) as error:
        print("The dependency audit could not reach PyPI:", error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
