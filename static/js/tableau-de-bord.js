// Reports dashboard: draws the Plotly figures built by the server (JSON data blocks, no inline
// script) and the map of open reports with the hotspots ("points noirs") over it.
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // --- Charts -------------------------------------------------------------------------------
  var figures = readJSON("tdb-figures") || {};
  if (window.Plotly) {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var figure = figures[el.dataset.figure];
      if (!figure) { return; }
      window.Plotly.newPlot(el, figure.data, figure.layout, { displayModeBar: false, responsive: true })
        .then(function () { el.dataset.rendered = "true"; });
    });
  }

  // --- Map ----------------------------------------------------------------------------------
  var mapEl = document.getElementById("carte-tdb");
  if (!mapEl || !window.L || !window.CarteSignalements) { return; }
  var say = window.CarteSignalements.sayIn("carte-tdb-statut");
  var map = window.CarteSignalements.baseMap(mapEl);
  var hotspots = readJSON("tdb-points-noirs") || { type: "FeatureCollection", features: [] };
  var byRank = {};

  function hotspotPopup(props) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = "Point noir n° " + props.rang + " : " + props.nombre + " signalements";
    var what = document.createElement("p");
    what.textContent = props.categorie + " · " + props.commune;
    var when = document.createElement("p");
    when.className = "popup-meta";
    when.textContent = props.ouverts + " encore ouverts · du " +
      new Date(props.premier).toLocaleDateString("fr-FR") + " au " + new Date(props.dernier).toLocaleDateString("fr-FR");
    box.append(title, what, when);
    return box;
  }

  var hotspotLayer = L.geoJSON(hotspots, {
    style: { color: "#b00020", weight: 2, fillColor: "#d55e00", fillOpacity: 0.25, dashArray: "4 3" },
    onEachFeature: function (feature, shape) {
      byRank[feature.properties.rang] = shape;
      shape.bindPopup(function () { return hotspotPopup(feature.properties); });
      shape.bindTooltip(window.Observatoire.textLabel(
        "Point noir n° " + feature.properties.rang + " (" + feature.properties.nombre + ")"));
    },
  }).addTo(map);
  // At the scale of the metropolis a hull is a few pixels wide: a numbered pin shows where it is.
  hotspots.features.forEach(function (feature) {
    var props = feature.properties;
    var pin = L.marker([props.centre[1], props.centre[0]], {
      icon: L.divIcon({
        className: "point-noir-icon", html: window.Observatoire.textNode(String(props.nombre)), iconSize: [26, 26],
      }),
      title: "Point noir n° " + props.rang + " : " + props.nombre + " signalements",
      zIndexOffset: 1000,
    }).addTo(map);
    pin.bindPopup(function () { return hotspotPopup(props); });
  });
  mapEl.dataset.hotspots = String(hotspots.features.length);

  document.querySelectorAll("[data-point-noir]").forEach(function (button) {
    var shape = byRank[button.dataset.pointNoir];
    if (!shape) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      mapEl.scrollIntoView({ behavior: "smooth", block: "center" });
      map.fitBounds(shape.getBounds(), { maxZoom: 17 });
      shape.openPopup();
    });
  });

  window.CarteSignalements.load(map, mapEl.dataset.geojsonUrl, say)
    .then(function (result) {
      mapEl.dataset.loaded = String(result.data.features.length);
      var n = hotspots.features.length;
      if (n) {
        var current = document.getElementById("carte-tdb-statut").textContent;
        say(current + " " + n + (n > 1 ? " points noirs." : " point noir."));
      }
    })
    .catch(function () { mapEl.dataset.loaded = "erreur"; });
})();
