// The project's file control (templates/django/forms/widgets/file_control.html): a button and a
// line naming the chosen file, in the page's language, instead of the browser's own "Choose file /
// No file chosen". The native input stays in the page, visually hidden but focusable; its name is
// the field's label followed by the button's visible text (WCAG 2.5.3, label in name: "Regulation
// document Choose a file"); the line naming the file describes it and is read out when it changes.
// A disabled input shows its button disabled.
// Without this script the native control shows as it is.
(function () {
  "use strict";

  function enhance(root) {
    var controls = (root || document).querySelectorAll("[data-kvsp-file]:not(.kvsp-file-ready)");
    Array.prototype.forEach.call(controls, function (control) {
      var input = control.querySelector("input[type=file]");
      var button = control.querySelector("[data-kvsp-file-button]");
      var name = control.querySelector("[data-kvsp-file-name]");
      if (!input || !button || !name) {
        return;
      }
      name.setAttribute("data-empty", name.textContent);
      if (input.id) {
        name.id = input.id + "_chosen";
        var described = (input.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(name.id) < 0) {
          described.push(name.id);
        }
        input.setAttribute("aria-describedby", described.join(" ").trim());
        var label = document.querySelector('label[for="' + input.id + '"]');
        if (label && !input.hasAttribute("aria-labelledby")) {
          label.id = label.id || input.id + "_label";
          button.id = input.id + "_button";
          input.setAttribute("aria-labelledby", label.id + " " + button.id);
        }
      }
      if (input.disabled) {
        button.classList.add("disabled");
      }
      name.setAttribute("aria-live", "polite");
      button.hidden = false;
      name.hidden = false;
      control.classList.add("kvsp-file-ready");
      show(input);
    });
  }

  function show(input) {
    var control = input.closest("[data-kvsp-file]");
    var name = control && control.querySelector("[data-kvsp-file-name]");
    if (!name) {
      return;
    }
    var names = Array.prototype.map.call(input.files || [], function (file) {
      return file.name;
    });
    name.textContent = names.length ? names.join(", ") : name.getAttribute("data-empty");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kvsp-file-button]");
    if (button) {
      var input = button.closest("[data-kvsp-file]").querySelector("input[type=file]");
      if (input && !input.disabled) {
        input.click();
      }
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-kvsp-file] input[type=file]")) {
      show(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
