/* On a narrow screen the filters stand above the results: there they start folded, so that a
   search shows its results first; the summary (with the number of filters selected) opens
   them. Without JavaScript, or on a wide screen beside the results, they stay open. */
(function () {
  "use strict";
  var panel = document.querySelector(".filters__panel");
  if (panel && window.matchMedia && !window.matchMedia("(min-width: 48rem)").matches) {
    panel.open = false;
  }
})();
