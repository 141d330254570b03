"""Platform administration of the national problem taxonomy (consultations/taxonomy.py).

A category in use is never deleted: the admin's delete page lists what protects it (``PROTECT``).
The action "merge into" moves every problem and every plan row that is not frozen to another
category; rows of approved plans keep theirs, which then stays, inactive, merged into the other
(the roll-up counts it there)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kvsp.core.history_admin import KVSPHistoryAdmin

from .taxonomy import ProblemCategory, category_merge


class MergeForm(ActionForm):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=ProblemCategory.objects.filter(active=True, merged_into=None),
        required=False,
    )


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(KVSPHistoryAdmin):
    list_display = ["code", "name_sq", "name_en", "order", "active", "merged_into"]
    readonly_fields = ["merged_into"]
    search_fields = ["code", "name_sq", "name_en"]
    action_form = MergeForm
    actions = ["merge"]

    def get_readonly_fields(self, request, obj=None):
        # The code is what the JSON and the CSV carry: fixed once the category exists.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    @admin.action(description=gettext_lazy("Merge the selected categories into the chosen one"))
    def merge(self, request, queryset):
        target = ProblemCategory.objects.filter(pk=request.POST.get("target") or None).first()
        if target is None:
            self.message_user(request, _("Choose the category to merge into."), messages.ERROR)
            return
        for source in queryset:
            try:
                kept = category_merge(source=source, target=target)
            except ValidationError as error:
                self.message_user(request, f"{source}: {' '.join(error.messages)}", messages.ERROR)
                continue
            if not kept:
                message = _("%(source)s was merged into %(target)s and removed.")
            else:
                message = ngettext(
                    "%(source)s was merged into %(target)s. %(kept)d row of a submitted or approved "
                    "plan keeps it (it does not change): it stays, inactive, and the national roll-up "
                    "counts it under %(target)s.",
                    "%(source)s was merged into %(target)s. %(kept)d rows of submitted or approved "
                    "plans keep it (they do not change): it stays, inactive, and the national roll-up "
                    "counts it under %(target)s.",
                    kept,
                )
            values = {"source": source, "target": target, "kept": kept}
            self.message_user(request, message % values, messages.SUCCESS)
