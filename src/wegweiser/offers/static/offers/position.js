/* "Use my position": where the browser can tell its position, the search measures distances
   from it (lat/lon) and sorts by distance. Nothing is sent anywhere but to this site's search,
   and only after the person presses the button. Without JavaScript the town or postcode field
   does the same. */
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  if (!button || !navigator.geolocation || !button.form) { return; }
  var form = button.form;
  var status = document.getElementById("position-status");
  button.hidden = false;

  function field(name) {
    var input = form.querySelector("input[type=hidden][name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  function forgetPosition() {
    form.querySelectorAll("input[type=hidden][name=lat], input[type=hidden][name=lon]").forEach(
      function (input) { input.remove(); }
    );
  }

  var near = form.elements.near;
  if (near) { near.addEventListener("input", forgetPosition); }

  button.addEventListener("click", function () {
    if (status) { status.textContent = ""; }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        field("lat").value = position.coords.latitude.toFixed(5);
        field("lon").value = position.coords.longitude.toFixed(5);
        if (near) { near.value = ""; }
        if (form.elements.sort) { form.elements.sort.value = "distance"; }
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      },
      function () {
        if (status) { status.textContent = button.dataset.error || ""; }
      },
      { maximumAge: 300000, timeout: 15000 }
    );
  });
})();
