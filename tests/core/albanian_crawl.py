"""Crawl the demo in Albanian and look for forms a municipality would never write.

Used by tests/core/test_albanian_forms.py. FORBIDDEN lists the forms; ``crawl`` follows every link
of the site breadth-first on GET (a few pages per address pattern, so that the 500 meetings of the
demo cost no more than one), and ``problems`` reads a page's visible text."""

import html
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

# (pattern, why it is wrong). Case-insensitive unless the pattern says otherwise.
FORBIDDEN = [
    (r"\bdraft\w*", "English “draft”: “në hartim”, “projektplani”"),
    (
        r"Publike (të|i) (Elbasan|Belsh|Librazhd)\b",
        "a bare name after “i/të”: “i Bashkisë Elbasan”, “i Elbasanit”",
    ),
    (r"(?<![-\w])(të|i|e|së) (Elbasan|Belsh|Librazhd)\b", "a bare name after a linking article"),
    (r"\bnë (mbledhje e|mbledhja|task forca|takim i hapur)\b", "“në” takes the accusative: “në mbledhjen e”"),
    (r"\bnë Salla e\b", "“në” takes the accusative: “në Sallën e”"),
    (r"\bme Komisariati\b", "“me” takes the accusative: “me Komisariatin”"),
    (r"\bPërditësoni aktiviteti\b", "the object of a verb: “Përditësoni aktivitetin”"),
    (r"(?<!p\.sh\. )\b(not_met|in_progress|not_started)\b", "a code shown to people"),
    (r"\b(the|and|with|from|your|this|has been|will be|should|which|please)\b", "English left on the page"),
]
# Masculine agreement that must not follow a woman's name.
MASCULINE = [r"\bi pranishëm\b", r"\bi ftuar\b"]

SKIP = re.compile(
    r"^/(static|media|admin|api)/|/logout/|/language/|\.(pdf|ics|zip|xlsx|json|xml|rss)$|/(pdf|ics|feed|calendar\.ics)/?$"
    r"|/history/|/export/pdf|[?&]format=(pdf|json)",
)
HREF = re.compile(r"""<a\b[^>]*\bhref=["']([^"'#]+)""", re.I)
VISIBLE_ATTRS = re.compile(r"""\b(?:aria-label|title|placeholder|alt)=["']([^"']*)["']""", re.I)


@dataclass
class Page:
    url: str
    kind: str
    text: str


@dataclass
class Found:
    where: str
    why: str
    snippet: str


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)


def visible_text(body: str) -> str:
    """What a reader sees (and what a screen reader says): text and the labelling attributes."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    attrs = " ".join(VISIBLE_ATTRS.findall(body))
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(f"{text} {attrs}").split())


def pattern_of(url: str, slugs: frozenset[str] = frozenset()) -> str:
    """/elbasan/meetings/412/ and /belsh/meetings/413/ are the same page for this crawl."""
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    first, _, rest = path.lstrip("/").partition("/")
    if first in slugs:
        path = f"/M/{rest}"
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


def crawl(
    client, starts: Iterable[str], *, slugs=frozenset(), per_pattern: int = 1, limit: int = 400
) -> Crawl:
    seen: set[str] = set()
    per: dict[str, int] = {}
    queue = deque(starts)
    result = Crawl()
    while queue and len(result.pages) < limit:
        url = urldefrag(queue.popleft()).url
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        pattern = pattern_of(url, slugs)
        if per.get(pattern, 0) >= per_pattern:
            continue
        per[pattern] = per.get(pattern, 0) + 1
        response = client.get(url)
        result.statuses[url] = response.status_code
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or response.streaming:
            continue
        if "text/html" in kind:
            body = response.content.decode()
            result.pages.append(Page(url, "html", visible_text(body)))
            for href in HREF.findall(body):
                href = html.unescape(href)
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not href.startswith("/"):
                    continue
                queue.append(href)
        elif "text/csv" in kind:
            result.pages.append(Page(url, "csv", response.content.decode("utf-8-sig")))
    return result


def problems(where: str, text: str, women: set[str], people: set[str]) -> list[Found]:
    found = []
    for pattern, why in FORBIDDEN:
        for match in re.finditer(pattern, text, flags=re.I):
            found.append(Found(where, why, text[max(0, match.start() - 60) : match.end() + 60]))
    names = sorted(people, key=len, reverse=True)
    for pattern in MASCULINE:
        for match in re.finditer(pattern, text):
            before = text[max(0, match.start() - 70) : match.start()]
            last = max(((before.rfind(name), name) for name in names), default=(-1, ""))
            if last[0] >= 0 and last[1] in women:
                found.append(
                    Found(where, f"masculine agreement after {last[1]}", before[last[0] :] + match.group())
                )
    return found
