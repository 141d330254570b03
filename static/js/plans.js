// The plan editor. The deadline of an activity is a kind (a date, a period, a recurrence or all
// year) and the one extra field that kind needs: show only that field. Without JavaScript every
// field shows and the server still checks the right one is filled.
(function () {
  "use strict";

  function sync(form) {
    var chosen = form.querySelector("input[name=deadline_kind]:checked");
    var kind = chosen ? chosen.value : "";
    form.querySelectorAll("[data-deadline-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-deadline-for") !== kind;
    });
  }

  function syncAll(root) {
    (root || document).querySelectorAll("form[data-deadline]").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "deadline_kind" && event.target.form) {
      sync(event.target.form);
    }
  });
  // Forms that htmx swaps in (the inline editor) get the same treatment.
  document.addEventListener("htmx:afterSettle", function () {
    syncAll(document);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      syncAll(document);
    });
  } else {
    syncAll(document);
  }
})();
