"""Send a signed-in officer or admin who has not passed the second factor to it."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import policy


class TwoFactorMiddleware:
    """On every non-public address: enrolment for those without a device, else verification.

    In ``process_view`` so that the resolved address (its name, not its spelling) decides; an
    address that resolves to nothing is a 404 for everybody anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if policy.is_open_address(request.resolver_match) or not policy.needs_second_factor(user):
            return None
        enrolled = policy.has_confirmed_device(user)
        name = "accounts:two-factor-verify" if enrolled else "accounts:two-factor-setup"
        if request.method != "GET":
            return redirect(name)  # a form sent before the second factor is not replayed after it
        return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))
