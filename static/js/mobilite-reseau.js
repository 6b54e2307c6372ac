// Transport network map: lines first, then stops sized by their passages on the typical weekday.
(function () {
  "use strict";
  var el = document.getElementById("carte-reseau");
  if (!el || !window.L || !window.Observatoire) { return; }
  var statusEl = document.getElementById("carte-reseau-statut");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });
  var formatter = new Intl.NumberFormat("fr-FR");
  // Heavier strokes for the modes that carry the most people (métro, tram, train).
  var WEIGHTS = { 0: 4, 1: 5, 2: 4 };

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function radius(passages) {
    return 2 + Math.sqrt(passages) / 2.5;
  }

  Promise.all([getJSON(el.dataset.lignesUrl), getJSON(el.dataset.arretsUrl)])
    .then(function (results) {
      var lines = results[0];
      var stops = results[1];
      L.geoJSON(lines, {
        style: function (feature) {
          var p = feature.properties;
          return { color: p.couleur ? "#" + p.couleur : "#5a7d2a", weight: WEIGHTS[p.type] || 2, opacity: 0.8 };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(window.Observatoire.textLabel("Ligne " + (p.nom_court || p.id) +
            (p.nom_long ? " : " + p.nom_long : "") + " (" + formatter.format(p.courses) + " courses)"), { sticky: true });
        },
      }).addTo(map);
      var layer = L.geoJSON(stops, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: radius(feature.properties.passages), color: "#1d3c78", weight: 1,
            fillColor: "#f5a623", fillOpacity: 0.85,
          });
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(window.Observatoire.textLabel(p.nom + " : " + formatter.format(p.passages) + " passages" +
            (p.lignes ? " (lignes " + p.lignes + ")" : "")));
        },
      }).addTo(map);
      if (stops.features.length) { map.fitBounds(layer.getBounds()); }
      el.dataset.arrets = String(stops.features.length);
      el.dataset.lignes = String(lines.features.length);
      statusEl.textContent = formatter.format(stops.features.length) + " arrêts, " +
        formatter.format(lines.features.length) + " lignes.";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; les tableaux restent disponibles."; });
})();
