// Map of the gisements fonciers over the PLUi's zones AU. The server filters (commune, type);
// the tables under the map hold the same data for those who do not use the map.
(function () {
  "use strict";
  var el = document.getElementById("carte-gisements");
  if (!el || !window.L || !window.Observatoire) { return; }
  // Okabe-Ito colours: told apart with the common colour-vision deficiencies.
  var TYPES = {
    dent_creuse: { colour: "#0072b2", label: "Dent creuse" },
    friche: { colour: "#b5476b", label: "Friche" },
    division_parcellaire: { colour: "#009e73", label: "Division parcellaire" },
    extension: { colour: "#8a6100", label: "Extension urbaine" },
  };
  var ZONES = {
    AUc: { colour: "#e69f00", label: "Zone à urbaniser ouverte (AUc)", dash: null },
    AUs: { colour: "#9aa0a8", label: "Zone à urbaniser fermée (AUs)", dash: "5 4" },
  };
  var number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  var statusEl = document.getElementById("carte-gisements-statut");
  var legendEl = document.getElementById("legende-gisements");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); });
  }

  function popup(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line, i) {
      var item = document.createElement(i === 0 ? "strong" : "p");
      item.textContent = line;
      if (i > 0) { item.className = "popup-meta"; }
      box.appendChild(item);
    });
    return box;
  }

  function legendItem(colour, text, dashed) {
    var item = document.createElement("li");
    var swatch = document.createElement("span");
    swatch.className = "legende-couleur";
    swatch.style.background = colour;
    if (dashed) { swatch.style.borderStyle = "dashed"; }
    item.append(swatch, document.createTextNode(text));
    legendEl.appendChild(item);
  }

  Object.keys(ZONES).forEach(function (k) { legendItem(ZONES[k].colour, ZONES[k].label, ZONES[k].dash); });
  Object.keys(TYPES).forEach(function (k) { legendItem(TYPES[k].colour, "Gisement : " + TYPES[k].label.toLowerCase()); });

  Promise.all([getJSON(el.dataset.zonesUrl), getJSON(el.dataset.gisementsUrl)])
    .then(function (results) {
      var zones = results[0], gisements = results[1];
      L.geoJSON(zones, {
        style: function (f) {
          var z = ZONES[f.properties.typezone] || ZONES.AUc;
          return { color: z.colour, weight: 1.5, dashArray: z.dash, fillColor: z.colour, fillOpacity: 0.3 };
        },
        onEachFeature: function (f, shape) {
          var p = f.properties;
          shape.bindPopup(function () {
            return popup([p.libelle + " (" + p.typezone + ") · " + p.commune_nom, p.libelong,
              number.format(p.surface_m2 / 10000) + " ha" + (p.datappro ? " · approuvée le " + new Date(p.datappro).toLocaleDateString("fr-FR") : "")]);
          });
        },
      }).addTo(map);
      var dots = L.layerGroup().addTo(map);
      var layer = L.geoJSON(gisements, {
        style: function (f) {
          var t = TYPES[f.properties.type];
          return { color: t.colour, weight: 2, fillColor: t.colour, fillOpacity: 0.7 };
        },
        onEachFeature: function (f, shape) {
          var p = f.properties;
          var content = function () {
            return popup([p.nom || p.ident, p.type_libelle + " · " + p.commune_nom,
              number.format(p.surface_m2) + " m²" + (p.potentiel_logements !== null ? " · " + p.potentiel_logements + " logements possibles" : ""),
              "Statut : " + p.statut_libelle]);
          };
          var label = window.Observatoire.textLabel(p.nom || p.ident);
          shape.bindTooltip(label, { sticky: true });
          shape.bindPopup(content);
          // A plot of land is a few pixels at the scale of the metropolis: a dot shows where it is.
          L.circleMarker(shape.getBounds().getCenter(), {
            radius: 5, color: "#fff", weight: 1, fillColor: TYPES[p.type].colour, fillOpacity: 0.9,
          }).bindTooltip(label).bindPopup(content).addTo(dots);
        },
      }).addTo(map);
      if (gisements.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
      el.dataset.gisements = String(gisements.features.length);
      el.dataset.zones = String(zones.features.length);
      statusEl.textContent = gisements.features.length + " gisement" + (gisements.features.length > 1 ? "s" : "") +
        " et " + zones.features.length + " zone" + (zones.features.length > 1 ? "s" : "") + " à urbaniser sur la carte.";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; les tableaux restent disponibles."; });
})();
