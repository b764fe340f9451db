/* Offers map: Leaflet with a configurable tile server and simple grid clustering.
   Works without tiles (markers on a plain background); the list below the map is the
   accessible, always-complete alternative. */
(function () {
  "use strict";
  var container = document.getElementById("offer-map");
  var dataElement = document.getElementById("map-data");
  if (!container || !dataElement || typeof L === "undefined") { return; }
  var points = JSON.parse(dataElement.textContent);
  container.hidden = false;
  // The link past the map is only useful, and only shown, when there is a map to skip.
  document.querySelectorAll("[data-skip-map]").forEach(function (link) { link.hidden = false; });
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
  // Leaflet's own controls speak English: their names come from the page, in its language.
  L.control.zoom({
    zoomInTitle: container.dataset.zoomIn || "+",
    zoomOutTitle: container.dataset.zoomOut || "−"
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var tileUrl = container.dataset.tileUrl;
  if (tileUrl) {
    var layer = L.tileLayer(tileUrl, { attribution: container.dataset.attribution || "", maxZoom: 18 });
    layer.on("tileerror", function () { container.classList.add("offer-map--no-tiles"); });
    layer.addTo(map);
  } else {
    container.classList.add("offer-map--no-tiles");
  }
  var markers = L.layerGroup().addTo(map);
  var CELL = 56; // pixels: markers closer than this are shown as one cluster

  function link(point) {
    var a = document.createElement("a");
    a.href = point.url;
    a.textContent = point.name;
    if (point.fallback) {
      // Untranslated: the German name keeps its language in the popup, as in the list.
      a.lang = "de";
      a.dir = "ltr";
    }
    var wrapper = document.createElement("div");
    wrapper.appendChild(a);
    var address = document.createElement("div");
    address.textContent = point.address;
    wrapper.appendChild(address);
    return wrapper;
  }

  function render() {
    markers.clearLayers();
    var cells = {};
    points.forEach(function (point) {
      var pixel = map.project([point.lat, point.lon], map.getZoom());
      var key = Math.floor(pixel.x / CELL) + ":" + Math.floor(pixel.y / CELL);
      (cells[key] = cells[key] || []).push(point);
    });
    Object.keys(cells).forEach(function (key) {
      var group = cells[key];
      var lat = 0, lon = 0;
      group.forEach(function (p) { lat += p.lat; lon += p.lon; });
      var centre = [lat / group.length, lon / group.length];
      if (group.length === 1) {
        L.circleMarker(centre, { radius: 8, color: "#003b59", weight: 2, fillColor: "#00557f", fillOpacity: 0.9 })
          .bindPopup(link(group[0])).addTo(markers);
      } else {
        var icon = L.divIcon({ className: "map-cluster", html: String(group.length), iconSize: [36, 36] });
        L.marker(centre, { icon: icon, title: group.length + " " + (container.dataset.offersLabel || "") })
          .on("click", function () { map.setView(centre, Math.min(map.getZoom() + 2, 18)); })
          .addTo(markers);
      }
    });
  }

  if (points.length) {
    map.fitBounds(points.map(function (p) { return [p.lat, p.lon]; }), { padding: [24, 24], maxZoom: 15 });
  } else {
    map.setView([Number(container.dataset.lat), Number(container.dataset.lon)], 10);
  }
  map.on("zoomend", render);
  render();
})();
