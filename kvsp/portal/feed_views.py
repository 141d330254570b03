"""Atom feeds at permanent public addresses (DESIGN.md "Public addresses"):

- ``/<municipality>/feed.atom``: what the council made public, newest first;
- ``/feed.atom``: the same for every council.

A feed reader follows a council without an account: announced consultations, published plan
versions and monthly reports, public council meetings and their approved minutes
(kvsp/portal/feed_items.py says what is public). The language is the public pages' (the cookie,
then the browser's); each entry's id is a tag: URI that never changes, its ``updated`` date moves
when the item changes. Served through the public page cache (kvsp/portal/page_cache.py), which a
new publication moves on like any other public page.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils.models import Council

from .feed_items import Entry, public_entries, tag_uri
from .lookups import public_council


class _PublicFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def author_name(self):
        return _("Local Public Safety Councils")

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.path

    def item_guid(self, item: Entry) -> str:
        return item.uid

    def item_pubdate(self, item: Entry):
        return item.published

    def item_updateddate(self, item: Entry):
        return item.updated

    def item_description(self, item: Entry) -> str:
        return item.summary

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        return (item.kind,)


class CouncilFeed(_PublicFeed):
    """/<municipality>/feed.atom"""

    def get_object(self, request, slug):
        return public_council(slug)

    def title(self, council: Council) -> str:
        return _("KVSP %(council)s: what is new") % {"council": council}

    def subtitle(self, council: Council) -> str:
        return _(
            "Open consultations, the published plan, monthly reports and public meetings of the "
            "Local Public Safety Council of %(council)s."
        ) % {"council": council}

    def link(self, council: Council) -> str:
        return reverse("portal:council", args=[council.slug])

    def feed_url(self, council: Council) -> str:
        return reverse("portal:council-feed", args=[council.slug])

    def feed_guid(self, council: Council) -> str:
        return tag_uri(f"council-{council.slug}")

    def items(self, council: Council) -> list[Entry]:
        return public_entries(council)


class NationalFeed(_PublicFeed):
    """/feed.atom"""

    def title(self) -> str:
        return _("KVSP: what is new in every council")

    def subtitle(self) -> str:
        return _(
            "Open consultations, published plans, monthly reports and public meetings of the 61 "
            "Local Public Safety Councils."
        )

    def link(self) -> str:
        return reverse("portal:home")

    def feed_url(self) -> str:
        return reverse("portal:feed")

    def feed_guid(self) -> str:
        return tag_uri("councils")

    def items(self) -> list[Entry]:
        return public_entries()


# GET and HEAD only, as every public page (a POST is 405).
council_feed = require_safe(CouncilFeed())
national_feed = require_safe(NationalFeed())
