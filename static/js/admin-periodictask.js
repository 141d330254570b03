// django-celery-beat's periodic task form (templates/admin/djcelery/change_periodictask_form.html):
// the script its template has inline, which the CSP does not run. The read-only "crontab
// translation" row is hidden; instead, choosing a crontab adds to its help text when it runs.
(function () {
  "use strict";

  var $ = window.django.jQuery;
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var translation = $("<div>").appendTo(".field-crontab .help");

  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    var text = readable[$("#id_crontab").val()];
    translation.text(text ? "Translation: " + text : "");
  });
})();
