// Home-to-work flows: one line between commune centres per flow, width by the number of workers.
(function () {
  "use strict";
  var el = document.getElementById("carte-flux");
  if (!el || !window.L || !window.Observatoire) { return; }
  var statusEl = document.getElementById("carte-flux-statut");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });
  var formatter = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  var MAX_WIDTH = 14;

  fetch(el.dataset.fluxUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      var largest = data.features.reduce(function (m, f) { return Math.max(m, f.properties.actifs); }, 1);
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return {
            color: "#b2182b", opacity: 0.7, lineCap: "round",
            weight: Math.max(1.5, MAX_WIDTH * Math.sqrt(feature.properties.actifs / largest)),
          };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(window.Observatoire.textLabel(p.origine.nom + " → " + p.destination.nom + " : " +
            formatter.format(p.actifs) + " actifs"), { sticky: true });
        },
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
      el.dataset.flux = String(data.features.length);
      statusEl.textContent = data.features.length + " flux" + (data.millesime ? ", millésime " + data.millesime : "") + ".";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; le tableau reste disponible."; });
})();
