"""Staff views of the councils app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class DashboardView(LoginRequiredMixin, TemplateView):
    """A signed-in user's home: the councils they belong to (memberships arrive in issue 2)."""

    template_name = "councils/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["councils"] = []
        return context
