// Shared set-up of the portal's Leaflet maps, configured by data- attributes:
// data-bounds="south,west,north,east", data-tiles-url, data-tiles-attribution,
// data-communes-url (optional: commune outlines, a reference when there are no tiles).
(function () {
  "use strict";
  window.Observatoire = window.Observatoire || {};

  window.Observatoire.baseMap = function (el, options) {
    var b = el.dataset.bounds.split(",").map(Number);
    var map = L.map(el, Object.assign({ zoomSnap: 0.5 }, options || {}));
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    if (el.dataset.tilesUrl) {
      L.tileLayer(el.dataset.tilesUrl, { attribution: el.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-no-tiles");
    }
    if (el.dataset.communesUrl) {
      fetch(el.dataset.communesUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          L.geoJSON(data, {
            interactive: false,
            style: { color: "#1d3c78", weight: 1, fillColor: "#4f7cc9", fillOpacity: 0.08 },
          }).addTo(map).bringToBack();
          el.dataset.communes = String(data.features.length);
        });
    }
    return map;
  };

  // Tooltips, popups and marker icons made of data (names from imported files, labels typed by
  // agents): Leaflet parses a string as HTML, so the text goes in a node's textContent instead.
  window.Observatoire.textNode = function (text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  };

  // For bindTooltip/bindPopup: a function rather than a node, so that one label can be bound to
  // several layers (a node lives in one place only); Leaflet calls it when it opens.
  window.Observatoire.textLabel = function (text) {
    return function () { return window.Observatoire.textNode(text); };
  };
})();
