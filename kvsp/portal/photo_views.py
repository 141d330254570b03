"""A concern's photo on the public pages: only once a moderator published the concern with it."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from consultations import photos
from consultations.models import Concern

from .lookups import public_council


@require_safe
def concern_photo(request, slug, pk):
    """/<municipality>/concerns/<id>/photo.jpg: the photo of a published concern of the council,
    as stored (re-encoded without EXIF, location or any other metadata). A concern not published
    (still awaiting moderation, set aside, merged, or its personal data deleted), or published
    without its photo, is a 404 like one that does not exist."""
    council = public_council(slug)
    concern = get_object_or_404(
        Concern.objects.filter(council=council, status=Concern.Status.PUBLISHED, photo_public=True)
        .exclude(photo="")
        .only("pk", "photo"),
        pk=pk,
    )
    return photos.response(request, concern, public=True)
