// Map of the natural areas (INPN layers) by type, from the GeoJSON API (EPSG:4326, simplified).
// The legend is written by the page; this script colours it with the same colours as the map.
// The tables under the map hold the same information for those who do not use it.
(function () {
  "use strict";
  var el = document.getElementById("carte-espaces");
  if (!el || !window.L || !window.Observatoire) { return; }
  // Okabe-Ito colours: told apart with the common colour-vision deficiencies.
  var COLOURS = {
    znieff1: "#009e73", znieff2: "#56b4e9", natura_sic: "#0072b2", natura_zps: "#cc79a7",
    parc_national: "#d55e00", pnr: "#e69f00", reserve_naturelle: "#8a6100",
  };
  var statusEl = document.getElementById("carte-espaces-statut");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });

  document.querySelectorAll("#legende-espaces [data-type]").forEach(function (item) {
    var swatch = item.querySelector(".legende-couleur");
    if (swatch) { swatch.style.background = COLOURS[item.dataset.type] || "#6b7280"; }
  });

  fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      // Larger layers first, so that the smaller ones drawn above stay reachable.
      var order = ["pnr", "parc_national", "znieff2", "natura_zps", "natura_sic", "znieff1", "reserve_naturelle"];
      data.features.sort(function (a, b) { return order.indexOf(a.properties.type) - order.indexOf(b.properties.type); });
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var colour = COLOURS[feature.properties.type] || "#6b7280";
          return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.3 };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(window.Observatoire.textLabel(p.type_libelle + " : " + p.nom + " (" + p.identifiant + ")"), { sticky: true });
        },
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds()); }
      statusEl.textContent = data.features.length + (data.features.length > 1 ? " espaces naturels." : " espace naturel.");
      el.dataset.rendered = "true";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; les tableaux restent disponibles."; });
})();
