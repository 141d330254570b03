"""Staff views of the councils app, under /app/. Thin: form -> service -> redirect."""

import base64
import binascii

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, UpdateView

from kvsp.core.service_views import ServiceActionView, ServiceFormView

from . import completeness, selectors, services
from .context_processors import REQUEST_ITEMS
from .forms import (
    CouncilForm,
    EndForm,
    ImportConfirmForm,
    ImportUploadForm,
    InstitutionHeadForm,
    MembershipForm,
    SeatAddForm,
)
from .models import OFFICER_ROLES, SKN_ROLES, Council, CouncilInstitution, Membership, Role
from .panels import working_panels
from .predicates import council_roles
from .scoping import CouncilScopedMixin
from .waiting import by_council, remember_count, waiting_list


class DashboardView(LoginRequiredMixin, TemplateView):
    """A signed-in user's home: the councils they belong to, each with their roles there."""

    template_name = "councils/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = council_roles(user)
        councils = Council.objects.filter(pk__in=roles).select_related("municipality__county")
        context["councils"] = [
            {
                "council": council,
                "roles": sorted(Role(r).label for r in roles[council.pk]),
                "can_open": user.has_perm("councils.view_council", council),
            }
            for council in councils
        ]
        context["national"] = rules.test_rule("councils.open_every_council", user)
        # What waits for the person, across all their councils (councils/waiting.py); the top
        # bar's count is read from the same items.
        items = waiting_list(user)
        setattr(self.request, REQUEST_ITEMS, items)
        remember_count(user, len(items))
        context["waiting"] = by_council(items)
        return context


class CouncilMixin(CouncilScopedMixin):
    """The composition pages: what the user may change in it, for the templates."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council = self.request.user, self.council
        context["can_manage"] = user.has_perm("councils.manage_composition", council)
        context["can_add_membership"] = user.has_perm("councils.add_membership", council)
        context["can_end_roles"] = user.has_perm("councils.end_membership", council)
        context["can_change"] = user.has_perm("councils.change_council", council)
        return context

    def allowed_roles(self) -> list[str]:
        """The roles this user may give here: officers only for the chair or an admin."""
        if self.request.user.has_perm("councils.manage_officers", self.council):
            return list(Role)
        if self.request.user.has_perm("councils.manage_composition", self.council):
            return [role for role in Role if role not in OFFICER_ROLES]
        return []

    def council_url(self) -> str:
        return reverse("councils:council-detail", kwargs={"slug": self.council.slug})

    def done(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(self.council_url())


class CouncilDetailView(CouncilMixin, TemplateView):
    """The council's working page: the officers first, then the composition by category."""

    template_name = "councils/council_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seats, memberships = selectors.composition(self.council, public=False)
        context["seats"] = seats
        context["skn"] = [m for m in memberships if m.role in SKN_ROLES]
        context["secretaries"] = [m for m in memberships if m.role == Role.SECRETARY]
        context["chairs"] = [m for m in memberships if m.role == Role.CHAIR]
        context["past_memberships"] = selectors.past_memberships(self.council, memberships)
        # What the council lacks under art. 4 (chair, secretary, SKN seats, categories): no query.
        context["completeness"] = completeness.of_composition(seats, memberships)
        context["panels"] = working_panels(self.request, self.council)
        return context


class CouncilUpdateView(CouncilMixin, UpdateView):
    permission_required = "councils.change_council"
    form_class = CouncilForm
    template_name = "councils/council_form.html"

    def get_object(self, queryset=None):
        return self.council

    def form_valid(self, form):
        form.save()
        return self.done(_("The council's details were saved."))


class InstitutionHeadView(CouncilMixin, UpdateView):
    """Who heads a member institution (name, e-mail): the SKN's summaries reach the heads of the
    municipality, the police and the prosecution office. The institution is one of the council's
    current seats (else 404); one institution serving several councils has one head for all."""

    permission_required = "councils.manage_composition"
    form_class = InstitutionHeadForm
    template_name = "councils/institution_head_form.html"

    def get_object(self, queryset=None):
        seat = get_object_or_404(
            CouncilInstitution.objects.active().filter(council=self.council).select_related("institution"),
            pk=self.kwargs["pk"],
        )
        return seat.institution

    def form_valid(self, form):
        form.save()
        return self.done(_("The head of %(institution)s was saved.") % {"institution": form.instance})


class CompositionFormView(CouncilMixin, ServiceFormView):
    """A form on the composition whose valid data goes to one service, then back to the council."""

    permission_required = "councils.manage_composition"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs


class SeatCreateView(CompositionFormView):
    form_class = SeatAddForm
    template_name = "councils/seat_form.html"

    def perform(self, form):
        data = form.cleaned_data
        seat = services.seat_add(
            council=self.council,
            institution=data["institution"],
            name=data["name"],
            category=data["category"],
            start_date=data["start_date"],
        )
        return self.done(_("%(institution)s was added to the council.") % {"institution": seat.institution})


class MembershipCreateView(CompositionFormView):
    permission_required = "councils.add_membership"
    form_class = MembershipForm
    template_name = "councils/membership_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["roles"] = self.allowed_roles()
        return kwargs

    def perform(self, form):
        membership = services.membership_add(council=self.council, **form.cleaned_data)
        return self.done(
            _("%(person)s was added as %(role)s.")
            % {"person": membership.person, "role": membership.get_role_display()}
        )


class EndView(CompositionFormView):
    """End an institution's place or a person's role (GET asks for the date, POST ends it). The
    record is looked up among those the user may read, inside the URL's council (else 404)."""

    form_class = EndForm
    template_name = "councils/end_form.html"
    model = None

    end_help = ""

    @cached_property
    def target(self):
        return get_object_or_404(
            self.model.objects.for_user(self.request.user).filter(council=self.council), pk=self.kwargs["pk"]
        )

    def permission_object(self):
        return self.target

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["end_date"].help_text = self.end_help
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        return context


class SeatEndView(EndView):
    model = CouncilInstitution
    end_help = gettext_lazy("The roles of the people who represent this institution must be ended first.")

    def perform(self, form):
        end_date = form.cleaned_data["end_date"]
        services.seat_end(seat=self.target, end_date=end_date)
        return self.done(
            _("%(institution)s no longer sits on the council from %(date)s.")
            % {"institution": self.target.institution, "date": date_format(end_date, "SHORT_DATE_FORMAT")}
        )


class MembershipEndView(EndView):
    permission_required = "councils.add_membership"
    # An officer's role is the chair's (or an admin's) to end, not the technical secretary's.
    object_permission = "councils.end_membership"
    model = Membership

    end_help = gettext_lazy("From this day on the role gives no access to the council.")

    def perform(self, form):
        end_date = form.cleaned_data["end_date"]
        services.membership_end(membership=self.target, end_date=end_date)
        return self.done(
            _("The role of %(person)s ends on %(date)s.")
            % {"person": self.target.person, "date": date_format(end_date, "SHORT_DATE_FORMAT")}
        )


class MembershipInviteView(CouncilMixin, ServiceActionView):
    """POST only: invite the member to an account (or link the account they already have)."""

    permission_required = "councils.manage_composition"

    def back_url(self) -> str:
        return self.council_url()

    def perform(self):
        membership = get_object_or_404(
            Membership.objects.for_user(self.request.user)
            .filter(council=self.council)
            .select_related("person"),
            pk=self.kwargs["pk"],
        )
        if services.membership_invite(membership=membership, invited_by=self.request.user):
            return self.done(_("An invitation was sent to %(email)s.") % {"email": membership.person.email})
        messages.info(
            self.request,
            _("%(person)s already had an account; it is now linked to this council.")
            % {"person": membership.person},
        )
        return HttpResponseRedirect(self.council_url())


class MembershipImportView(CouncilMixin, FormView):
    """Upload a CSV of members, see every row checked, then confirm: all rows or none."""

    permission_required = "councils.manage_composition"
    form_class = ImportUploadForm
    template_name = "councils/membership_import.html"

    def post(self, request, *args, **kwargs):
        if "content" in request.POST:
            return self.confirm(ImportConfirmForm(request.POST))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        content = form.cleaned_data["file"].read()
        rows, errors = services.import_parse(
            council=self.council, content=content, allowed_roles=self.allowed_roles()
        )
        if errors:
            for error in errors:
                form.add_error("file", error)
            return self.form_invalid(form)
        confirm = ImportConfirmForm(
            initial={
                "content": base64.b64encode(content).decode("ascii"),
                "invite": form.cleaned_data["invite"],
            }
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=rows,
                confirm=confirm,
                has_errors=any(r.errors for r in rows),
                invite=form.cleaned_data["invite"],
            )
        )

    def confirm(self, confirm):
        if not confirm.is_valid():
            return HttpResponseRedirect(self.request.path)
        try:
            content = base64.b64decode(confirm.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError):
            return HttpResponseRedirect(self.request.path)
        rows, errors = services.import_parse(
            council=self.council, content=content, allowed_roles=self.allowed_roles()
        )
        try:
            if errors:
                raise ValidationError(errors)
            created = services.import_apply(
                council=self.council,
                rows=rows,
                invited_by=self.request.user,
                invite=confirm.cleaned_data["invite"],
            )
        except ValidationError as error:
            form = self.get_form_class()()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    rows=rows,
                    confirm=confirm,
                    has_errors=True,
                    import_error=" ".join(error.messages),
                )
            )
        return self.done(
            ngettext("%(count)d member was added.", "%(count)d members were added.", len(created))
            % {"count": len(created)}
        )
