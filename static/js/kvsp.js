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
  // Forms that cannot be undone ask first: <form data-confirm="...">. Without JavaScript they
  // simply submit, as the server-side checks do not depend on this.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
