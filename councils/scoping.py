"""The one authorization layer of the staff pages under /app/<municipality>/.

Every council-scoped view derives from ``CouncilScopedMixin`` and *declares* what it needs; the
single ``dispatch()`` below decides, always in this order:

1. signed in, else the login page (an htmx request is sent there as a whole page);
2. the council of the URL among those the user may reach (``Council.objects.for_user``), else 404
   (and the security log notes a reach into another council that exists);
3. ``permission_required`` on the council (a django-rules permission), else 403;
4. ``rule_required`` on the council (a rule: not granted to a superuser as permissions are), else 403;
5. ``permission_object()``: the object of the URL inside that council (404 when absent), with
   ``object_permission`` and ``object_rule`` on it, else 403;
6. the HTTP method, else 405;
7. ``check()``: any other refusal of the view (a response, or None to go on).

Answers that differ for htmx vary on its header. Views never write a ``dispatch()`` of their own.
"""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django_htmx.http import HttpResponseClientRedirect

from .models import Council
from .security import other_council


def readable_or_403(queryset, user, **lookup):
    """The row of ``lookup`` in ``queryset`` (a council's rows of a council-owned model; else 404),
    which the model's ``for_user`` must let ``user`` read, else 403: for a record of one's own
    council whose existence is no secret but whose content is (a draft plan or report for the
    national observer). One query: the row and whether ``for_user`` holds it."""
    model = queryset.model
    readable = model._default_manager.for_user(user).filter(pk=OuterRef("pk"))
    found = get_object_or_404(queryset.annotate(user_may_read=Exists(readable)), **lookup)
    if not found.user_may_read:
        raise PermissionDenied
    return found


class CouncilScopedMixin(LoginRequiredMixin):
    """A page of one council: the declarations are checked by the one ``dispatch()``."""

    permission_required: str = "councils.view_council"
    rule_required: str = ""
    object_permission: str = ""
    object_rule: str = ""

    @cached_property
    def council(self) -> Council:
        try:
            return get_object_or_404(
                Council.objects.for_user(self.request.user).select_related("municipality__county"),
                municipality__slug=self.kwargs["slug"],
            )
        except Http404:
            other_council(self.request, self.kwargs["slug"])  # logged if it exists, for others
            raise

    def get_permission_required(self) -> str:
        """The permission on the council; a view may vary it by method (a property also works)."""
        return self.permission_required

    def permission_object(self):
        """The object of the URL that ``object_permission`` / ``object_rule`` apply to (404 when it
        is not in this council), or None when the view has none."""
        return None

    def check(self):
        """Any other refusal of the view, after the permissions: a response, or None to go on."""
        return None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            login = self.handle_no_permission()
            # An htmx request of an expired session: the whole page goes to the login.
            return HttpResponseClientRedirect(login.url) if getattr(request, "htmx", False) else login
        if not user.has_perm(self.get_permission_required(), self.council):
            raise PermissionDenied
        if self.rule_required and not rules.test_rule(self.rule_required, user, self.council):
            raise PermissionDenied
        if self.object_permission or self.object_rule:
            obj = self.permission_object()
            if self.object_permission and not user.has_perm(self.object_permission, obj):
                raise PermissionDenied
            if self.object_rule and not rules.test_rule(self.object_rule, user, obj):
                raise PermissionDenied
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        refused = self.check()
        response = refused if refused is not None else super().dispatch(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        return context
