// The commune of the portrait, highlighted among the outlines of the metropolis.
(function () {
  "use strict";
  var el = document.getElementById("carte-portrait");
  if (!el || !window.L || !window.Observatoire) { return; }
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });
  fetch(el.dataset.communesUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var own = feature.properties.insee === el.dataset.insee;
          return { color: "#1d3c78", weight: own ? 3 : 1, fillColor: own ? "#f2b705" : "#4f7cc9", fillOpacity: own ? 0.6 : 0.08 };
        },
      }).addTo(map);
      layer.eachLayer(function (shape) {
        if (shape.feature.properties.insee === el.dataset.insee) { map.fitBounds(shape.getBounds().pad(0.6)); }
      });
    });
})();
