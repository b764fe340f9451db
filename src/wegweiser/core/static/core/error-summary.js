/* The error summary of a form (templates/partials/error_summary.html), GOV.UK pattern:
   - when a page or an htmx swap shows a summary, the focus moves to it, so a screen reader
     reads the problems first and the keyboard starts from there (WCAG 3.3.1, 2.4.3);
   - a page without one that confirms what the user just did ([data-focus-on-load]: a sent form's
     thank-you, a saved change's message) moves the focus to that confirmation: a live region
     that is already on the page when it loads is not read out (WCAG 4.1.3);
   - a link in the summary focuses its input and scrolls its label or legend into view, which
     the plain "#id" jump would leave above the top of the screen. */
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  function focusConfirmation() {
    var confirmation = document.querySelector("[data-focus-on-load]");
    if (confirmation && !document.querySelector("[data-error-summary]")) { confirmation.focus(); }
  }

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && (input.type === "checkbox" || input.type === "radio")) {
      return fieldset.querySelector("legend") || fieldset;
    }
    return (input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]')) || input;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) { return; }
    event.preventDefault();
    labelFor(input).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
    focusConfirmation();
  });
  // A form answered by htmx brings its summary in the swapped content.
  document.addEventListener("htmx:afterSettle", function (event) { focusSummary(event.target); });
})();
