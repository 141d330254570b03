"""The admin's autocomplete widget (select2, for autocomplete_fields), valid HTML in both languages.
static/js/admin.js names select2's combobox by the field's label."""

from django.contrib.admin import widgets


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's, without lang="None" where select2 has no translation (Albanian), and with an
    empty first option when the choice is required."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if attrs.get("lang") is None:
            # The select is in the page's language; select2 falls back to English.
            del attrs["lang"]
        return attrs

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required:
            # Django adds the empty option only when the choice is optional, but a required
            # select starts with one too (HTML). select2 shows it as its empty placeholder, and
            # the field refuses it.
            options = groups[0][1]
            options.insert(0, self.create_option(name, "", "", False, 0))
            for index, option in enumerate(options):
                option["index"] = index
        return groups


class AutocompleteAdminMixin:
    """A ModelAdmin whose autocomplete_fields (foreign keys) use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
