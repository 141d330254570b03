"""The one SimpleHistoryAdmin of the project: history is read, never written back.

django-simple-history's page of one past version (/admin/<app>/<model>/<id>/history/<history_id>/)
saves a POST over the live object, even with SIMPLE_HISTORY_REVERT_DISABLED (which only hides the
button). Here that page only reads: a POST is refused (405) and nothing is saved.
"""

from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class KVSPHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)
