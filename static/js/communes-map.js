// Map of the communes: boundaries from the portal's own GeoJSON API.
// Tiles are optional (data-tiles-url empty): the boundaries alone keep the map useful.
(function () {
  "use strict";
  var el = document.getElementById("carte-communes");
  var statusEl = document.getElementById("carte-communes-statut");
  if (!el || !window.L) { return; }

  function say(text) { if (statusEl) { statusEl.textContent = text; } }
  var formatter = new Intl.NumberFormat("fr-FR");
  var map = window.Observatoire.baseMap(el, { zoomSnap: 0.25, scrollWheelZoom: false });

  var baseStyle = { color: "#1d3c78", weight: 1, fillColor: "#4f7cc9", fillOpacity: 0.18 };
  var hoverStyle = { weight: 3, fillOpacity: 0.4 };

  function popupContent(props) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = props.nom;
    var pop = document.createElement("p");
    pop.textContent = formatter.format(props.population) + " habitants";
    var code = document.createElement("p");
    code.className = "popup-meta";
    code.textContent = "Code INSEE " + props.insee;
    var link = document.createElement("a");
    link.href = "/territoires/" + encodeURIComponent(props.insee) + "/";
    link.textContent = "Portrait de la commune";
    box.append(title, pop, code, link);
    return box;
  }

  fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return baseStyle; },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(popupContent(feature.properties));
          shape.bindTooltip(window.Observatoire.textLabel(feature.properties.nom), { sticky: true });
          shape.on("mouseover", function () { shape.setStyle(hoverStyle); });
          shape.on("mouseout", function () { layer.resetStyle(shape); });
        },
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds()); }
      el.dataset.loaded = String(data.features.length);
      say(data.features.length + " communes affichées.");
    })
    .catch(function () {
      say("La carte des communes n'a pas pu être chargée. La liste ci-dessous reste disponible.");
    });
})();
