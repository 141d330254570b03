"""The two shapes of a staff page that writes through a service, shared by every app (so that no app
imports another's views). Who may use the page is declared on the council-scoped base view the app
combines them with (councils/scoping.py); these only carry the write.

- ``ServiceFormView``: a form whose valid data goes to ``perform(form)``; the service's
  ``ValidationError`` comes back on the form, with what the user typed still in it.
- ``ServiceActionView``: a button (POST only) whose ``perform()`` calls a service; its
  ``ValidationError`` comes back as a message on the page the button was on (``back_url()``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic import FormView, View

from .forms import apply_errors


class ServiceFormView(FormView):
    """A form whose valid data goes to ``perform(form)``, which returns the response."""

    def perform(self, form) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form):
        self.form = form  # for perform() methods that need the form's own helpers
        try:
            return self.perform(form)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)


class ServiceActionView(View):
    """POST only: ``perform()`` calls a service and returns the response; a refusal of the service
    is shown as an error message back on ``back_url()``."""

    http_method_names = ["post"]

    def perform(self) -> HttpResponse:
        raise NotImplementedError

    def back_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            return self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.back_url())
