// The platform admin (Django's contrib.admin): accessibility fixes to what its widgets' scripts
// build in the page. Loaded with defer on every admin page (templates/admin/base_site.html): it
// runs after those scripts, so its handlers run after theirs.
(function () {
  "use strict";

  var $ = window.django && window.django.jQuery;

  // select2 (autocomplete_fields) names its combobox, and the textbox inside it, by the chosen
  // option only: with nothing chosen they have no name. The field's label names them too.
  function nameAutocompletes(root) {
    $(root)
      .find("select.admin-autocomplete")
      .each(function () {
        var select2 = $(this).data("select2");
        var label = this.id && document.querySelector('label[for="' + this.id + '"]');
        if (!select2 || !label) {
          return;
        }
        label.id = label.id || this.id + "_label";
        var rendered = select2.$selection.find(".select2-selection__rendered[role=textbox]")[0];
        select2.$selection.attr("aria-labelledby", rendered ? label.id + " " + rendered.id : label.id);
        if (rendered) {
          rendered.setAttribute("aria-labelledby", label.id);
        }
      });
  }

  if ($) {
    // After autocomplete.js's own ready handler, which starts select2.
    $(function () {
      nameAutocompletes(document);
    });
    document.addEventListener("formset:added", function (event) {
      nameAutocompletes(event.target);
    });
  }

  // SelectFilter2 (filter_horizontal) labels its search boxes with an icon, a <span> with an
  // aria-label, which a span without a role may not carry: as an image it names the box. The
  // filter is built on "load", by a handler added before this one.
  window.addEventListener("load", function () {
    document.querySelectorAll(".selector .search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });
})();
