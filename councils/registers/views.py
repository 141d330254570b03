"""The registers' pages, under /app/<municipality>/registers/: the referral figures (counts only)
and the cooperation agreements. Thin: form -> service -> redirect; who may do what is in
councils/registers/rules.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from kvsp.core.security_log import security_event
from kvsp.core.service_views import ServiceFormView

from ..models import today
from ..scoping import CouncilScopedMixin
from . import selectors, services
from .forms import AgreementForm, ReferralForm
from .models import CooperationAgreement, ReferralCount


def register_url(council, year: int | None = None, anchor: str = "") -> str:
    url = reverse("councils:registers", kwargs={"slug": council.slug})
    if year is not None:
        url += f"?year={year}"
    return url + (f"#{anchor}" if anchor else "")


class RegisterView(CouncilScopedMixin, TemplateView):
    """The council's registers: a year of referral figures by month with their totals (the
    national observer sees the totals only), and the cooperation agreements."""

    permission_required = "councils.view_registers"
    template_name = "councils/registers/register.html"

    def year(self, years: list[int]) -> int:
        try:
            asked = int(self.request.GET.get("year", ""))
        except ValueError:
            asked = 0
        if 2000 <= asked <= 2100:
            return asked
        return years[0] if years else today().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council = self.request.user, self.council
        can = {
            name: user.has_perm(f"councils.{name}", council)
            for name in (
                "view_referrals",
                "change_referrals",
                "view_referral_totals",
                "view_agreements",
                "change_agreements",
            )
        }
        context.update({f"can_{name}": allowed for name, allowed in can.items()})
        if can["view_referral_totals"]:
            years = selectors.referral_years(council)
            year = self.year(years)
            context["years"] = sorted({*years, year, today().year}, reverse=True)
            context["referrals"] = selectors.referral_year(council, year)
        if can["view_agreements"]:
            context["agreements"] = selectors.agreements(council)
        else:
            context["agreement_count"] = selectors.agreement_count(council)
        return context


class ReferralFormMixin(CouncilScopedMixin, ServiceFormView):
    permission_required = "councils.change_referrals"
    form_class = ReferralForm
    template_name = "councils/registers/referral_form.html"
    existing: ReferralCount | None = None

    def perform(self, form):
        try:
            count = self.save(form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate" and error.params and "existing" in error.params:
                self.existing = ReferralCount.objects.get(pk=error.params["existing"])
            raise
        messages.success(self.request, _("The figure is recorded."))
        return HttpResponseRedirect(register_url(self.council, count.year, f"month-{count.month}"))

    def save(self, values: dict) -> ReferralCount:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.existing is not None:
            context["existing_url"] = reverse(
                "councils:referral-edit", kwargs={"slug": self.council.slug, "pk": self.existing.pk}
            )
        return context


class ReferralCreateView(ReferralFormMixin):
    def save(self, values):
        return services.referral_add(council=self.council, **values)


class ReferralUpdateView(ReferralFormMixin):
    object_permission = "councils.change_referrals"

    def permission_object(self):
        return self.count

    @cached_property
    def count(self) -> ReferralCount:
        return get_object_or_404(ReferralCount.objects.filter(council=self.council), pk=self.kwargs["pk"])

    def get_initial(self):
        count = self.count
        return {name: getattr(count, name) for name in (*services.REFERRAL_KEY, "cases")}

    def save(self, values):
        return services.referral_update(count=self.count, **values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["count"] = self.count
        return context


class AgreementFormMixin(CouncilScopedMixin, ServiceFormView):
    permission_required = "councils.change_agreements"
    form_class = AgreementForm
    template_name = "councils/registers/agreement_form.html"
    agreement: CooperationAgreement | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council, "instance": self.agreement}

    def perform(self, form):
        agreement = self.save(form.service_values())
        messages.success(
            self.request, _("The agreement “%(title)s” is recorded.") % {"title": agreement.title}
        )
        return HttpResponseRedirect(register_url(self.council, anchor="agreements"))

    def save(self, values: dict) -> CooperationAgreement:
        raise NotImplementedError


class AgreementCreateView(AgreementFormMixin):
    def save(self, values):
        return services.agreement_add(council=self.council, **values)


class AgreementUpdateView(AgreementFormMixin):
    object_permission = "councils.change_agreements"

    def permission_object(self):
        return self.found

    @cached_property
    def found(self) -> CooperationAgreement:
        return get_object_or_404(
            CooperationAgreement.objects.filter(council=self.council), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        # A copy: the form's validation writes its values onto its instance.
        self.agreement = CooperationAgreement.objects.get(pk=self.found.pk)
        return super().get_form_kwargs()

    def save(self, values):
        return services.agreement_update(agreement=self.found, **values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.found
        return context


class AgreementDocumentView(CouncilScopedMixin, View):
    """An agreement's signed document, as an attachment, for whoever reads the agreements."""

    permission_required = "councils.view_agreements"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        agreement = get_object_or_404(
            CooperationAgreement.objects.filter(council=self.council), pk=self.kwargs["pk"]
        )
        if not agreement.document:
            raise Http404
        try:
            handle = agreement.document.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        security_event(request, "read", obj=agreement)
        name = f"{slugify(agreement.title)[:80] or 'marreveshje'}.pdf"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
