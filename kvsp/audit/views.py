"""The history page of one object of a council: read-only, for the council's staff."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from councils.scoping import CouncilScopedMixin

from .history import KINDS, Kind, entries


class HistoryView(CouncilScopedMixin, TemplateView):
    """Historiku i ndryshimeve: who changed what and when. The council of the URL among those the
    user reaches (else 404), councils.view_history on it (else 403), the kind from the allow-list
    and the object inside that council (else 404), and the object's own read rule (else 403).

    The object is looked up in the council, not through its model's ``for_user``: an object of the
    user's own council that they may not read (a draft for the observer) is refused (403)."""

    permission_required = "councils.view_history"
    object_rule = "audit.read_object"
    template_name = "audit/history.html"
    http_method_names = ["get", "head"]

    @cached_property
    def kind(self) -> Kind:
        try:
            return KINDS[self.kwargs["kind"]]
        except KeyError:
            raise Http404 from None

    @cached_property
    def object(self):
        kind = self.kind
        return get_object_or_404(
            kind.model.objects.filter(**{kind.council_lookup: self.council.pk}).select_related(
                *kind.select_related
            ),
            pk=self.kwargs["pk"],
        )

    def permission_object(self):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["kind"] = self.kwargs["kind"]
        context["object_url"] = self.kind.page(self.object)
        context["entries"] = entries(self.kind, self.object, self.request.user)
        return context
