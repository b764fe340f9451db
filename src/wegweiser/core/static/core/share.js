/* Progressive enhancement: where the browser can share (phones), "Share" opens the system
   share sheet; elsewhere the link stays a plain mailto: link. */
(function () {
  "use strict";
  if (!navigator.share) { return; }
  document.querySelectorAll("[data-share]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.share({ title: link.dataset.shareTitle || document.title, url: location.href }).catch(function () {});
    });
  });
})();
