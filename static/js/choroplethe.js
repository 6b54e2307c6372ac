// Choropleth of an indicator: the server gives the values and the class edges (mapclassify).
(function () {
  "use strict";
  var el = document.getElementById("carte-indicateur");
  if (!el || !window.L || !window.Observatoire) { return; }
  // Sequential blues (ColorBrewer), light to dark; grey for communes without a value.
  var PALETTE = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"];
  var NO_DATA = "#d9d9d9";
  var formatter = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  var statusEl = document.getElementById("carte-indicateur-statut");
  var legendEl = document.getElementById("legende");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });

  function classOf(value, edges) {
    for (var i = 1; i < edges.length; i++) { if (value <= edges[i]) { return i - 1; } }
    return edges.length - 2;
  }

  function colours(n) {
    var step = (PALETTE.length - 1) / Math.max(1, n - 1);
    var out = [];
    for (var i = 0; i < n; i++) { out.push(PALETTE[Math.round(i * step)]); }
    return out;
  }

  fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      var edges = data.bornes;
      var palette = colours(Math.max(1, edges.length - 1));
      var counts = palette.map(function () { return 0; });
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var value = feature.properties.valeur;
          if (value === null || edges.length < 2) { return { color: "#555", weight: 1, fillColor: NO_DATA, fillOpacity: 0.7 }; }
          var k = classOf(value, edges);
          counts[k] += 1;
          return { color: "#1d3c78", weight: 1, fillColor: palette[k], fillOpacity: 0.85 };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          var text = p.nom + " : " + (p.valeur === null ? "pas de valeur" : formatter.format(p.valeur) + " " + el.dataset.unite);
          shape.bindTooltip(text, { sticky: true });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      legendEl.textContent = "";
      for (var i = 0; i + 1 < edges.length; i++) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "legende-couleur";
        swatch.style.background = palette[i];
        item.append(swatch, document.createTextNode(
          formatter.format(edges[i]) + " – " + formatter.format(edges[i + 1]) +
          " (" + counts[i] + (counts[i] > 1 ? " communes)" : " commune)")));
        legendEl.appendChild(item);
      }
      el.dataset.classes = String(edges.length - 1);
      statusEl.textContent = data.features.length + " communes, millésime " + data.millesime + ".";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; le tableau reste disponible."; });
})();
