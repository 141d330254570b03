// KVSP behaviour. All JavaScript lives in static files: the Content-Security-Policy allows no
// inline script. htmx requests carry the CSRF token from the cookie-less form field.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) {
      event.detail.headers["X-CSRFToken"] = field.value;
    }
  });
})();
