"""Public pages that combine several apps. No per-request token: they can be cached."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    """The portal: what a council is, and (from issue 2 on) the 61 councils by county."""

    template_name = "portal/home.html"
