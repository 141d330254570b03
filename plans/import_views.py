"""Staff pages that take a plan out to Excel and bring one in, under /app/<municipality>/plans/.

The import is two steps: the upload is read and checked (plans/importer/) and every row and every
error is shown; the confirmation then writes the rows through the services, all or none. Between the
two, the checked rows — plain JSON with institution ids, never the file or a path to it — wait in
the user's session under a random token that the confirmation form carries back. So nothing of the
upload is kept on disk, a confirmation can only write what that user was shown, a stale or repeated
confirmation finds no token and writes nothing, and the services check every row again on the way in.
"""

import json
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View

from kvsp.core.security_log import security_event

from . import exports, importer
from .importer import ImportResult, RowError
from .scoping import PlanMixin, VersionMixin

# What the checked rows may take in the session (characters of JSON). A real plan (30 problems, 100
# activities) takes well under 100,000; the cap keeps every later request of the session, which loads it,
# cheap until the rows are confirmed or replaced.
MAX_SESSION_CHARS = 1_000_000
SESSION_KEY = "plans-import:{council}:{year}"


def _year(kwargs) -> int:
    """The URL's year, if a plan can have it (a larger number would not fit the database)."""
    year = kwargs["year"]
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=importer.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


class PlanTemplateView(PlanMixin, View):
    """The empty XLSX template, with this council's seated institutions."""

    permission_required = "plans.edit_plan"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return _xlsx(exports.template_workbook(self.council), f"plani-{self.council.slug}-shabllon.xlsx")


class VersionWorkbookView(VersionMixin, View):
    """A version in the template's format: approved ones for whoever reads the council's plans,
    drafts and submitted ones for those who may see drafts (as the version's page)."""

    http_method_names = ["get", "head"]

    @cached_property
    def version(self):
        _year(self.kwargs)  # else 404, before the database is asked
        if self.kwargs["number"] > 32767:
            raise Http404
        return super().version

    def get(self, request, *args, **kwargs):
        version = self.version
        if not version.is_published:
            security_event(request, "read", obj=version, kind="plan_xlsx")
        name = f"plani-{self.council.slug}-{version.plan.year}-v{version.number}.xlsx"
        return _xlsx(exports.plan_workbook(version), name)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (XLSX)"),
        help_text=gettext_lazy("The plan in the template's format: one line per activity."),
        widget=forms.FileInput(attrs={"accept": ".xlsx," + importer.XLSX_CONTENT_TYPE}),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=100)


class PlanImportView(PlanMixin, TemplateView):
    """Upload a filled-in template, see every line checked, then add the rows to the year's draft."""

    permission_required = "plans.edit_plan"
    template_name = "plans/import.html"
    http_method_names = ["get", "post", "head"]

    @cached_property
    def year(self) -> int:
        return _year(self.kwargs)

    @cached_property
    def target(self) -> importer.ImportTarget:
        return importer.import_target(self.council, self.year)

    @property
    def session_key(self) -> str:
        return SESSION_KEY.format(council=self.council.pk, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update(year=self.year, target=self.target, max_rows=importer.MAX_ROWS)
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm()
        return self.preview()

    def preview(self):
        request = self.request
        request.session.pop(self.session_key, None)
        form = UploadForm(request.POST, request.FILES)
        if self.target.blocked or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = importer.parse(form.cleaned_data["file"], self.council, into=self.target.version)
        confirm = None
        if result.ok:
            data = result.to_data()
            if len(json.dumps(data, ensure_ascii=False)) > MAX_SESSION_CHARS:
                result.errors.append(
                    RowError(
                        None, "", "", _("The plan is too large to import at once. Split it into two files.")
                    )
                )
            else:
                token = secrets.token_urlsafe(24)
                request.session[self.session_key] = {"token": token, "data": data}
                confirm = ConfirmForm(initial={"token": token})
        for error in result.file_errors:
            form.add_error("file", error.message)
        return self.render_to_response(
            self.get_context_data(
                form=form if result.file_errors else UploadForm(), result=result, confirm=confirm
            )
        )

    def confirm(self):
        request = self.request
        form = ConfirmForm(request.POST)
        stored = request.session.pop(self.session_key, None)
        if not (
            form.is_valid()
            and isinstance(stored, dict)
            and constant_time_compare(str(stored.get("token", "")), form.cleaned_data["token"])
        ):
            messages.error(request, _("This preview is no longer valid. Upload the file again."))
            return HttpResponseRedirect(request.path)
        try:
            result = ImportResult.from_data(stored.get("data"), self.council)
        except ValueError:
            messages.error(request, _("This preview is no longer valid. Upload the file again."))
            return HttpResponseRedirect(request.path)
        try:
            version = importer.plan_import(council=self.council, year=self.year, result=result)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(result=result, import_error=" ".join(error.messages))
            )
        count = len(result.problems)
        messages.success(
            request,
            ngettext(
                "%(count)d problem and its activities were added to version %(version)d.",
                "%(count)d problems and their activities were added to version %(version)d.",
                count,
            )
            % {"count": count, "version": version.number},
        )
        return HttpResponseRedirect(
            reverse(
                "plans:version",
                kwargs={"slug": self.council.slug, "year": self.year, "number": version.number},
            )
        )
