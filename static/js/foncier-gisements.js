// Map of the gisements fonciers over the PLUi zoning. The zoning (every zone of every commune,
// thousands of polygons) comes as vector tiles of the « zones-plui » collection, drawn by MapLibre
// (static/js/tuiles.js); the gisements, a few hundred restricted plots, as GeoJSON filtered by the
// server (commune, type). The tables under the map hold the same data for those who do not use it.
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
    U: { colour: "#cc79a7", label: "Zone urbaine (U)" },
    AUc: { colour: "#e69f00", label: "Zone à urbaniser ouverte (AUc)" },
    AUs: { colour: "#9aa0a8", label: "Zone à urbaniser fermée (AUs)", dash: true },
    A: { colour: "#e5d540", label: "Zone agricole (A)" },
    N: { colour: "#4b8b3b", label: "Zone naturelle et forestière (N)" },
  };
  var ZONE_LAYERS = ["plui-surfaces", "plui-contours", "plui-contours-au-fermees"];
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

  function communeName(insee) {
    var option = document.querySelector('#id_commune option[value="' + insee + '"]');
    return option ? option.textContent : insee;
  }

  // MapLibre style layers of the zoning: a fill per TYPEZONE, its outline, dashed for closed AU zones.
  function zoningLayers(insee) {
    var colour = ["match", ["get", "typezone"]];
    Object.keys(ZONES).forEach(function (k) { colour.push(k, ZONES[k].colour); });
    colour.push("#9aa0a8");
    var only = insee ? [["==", ["get", "commune_insee"], insee]] : [];
    var base = { source: "zones-plui", "source-layer": "zones-plui" };
    return [
      Object.assign({ id: "plui-surfaces", type: "fill", filter: ["all"].concat(only),
        paint: { "fill-color": colour, "fill-opacity": 0.28 } }, base),
      Object.assign({ id: "plui-contours", type: "line", filter: ["all", ["!=", ["get", "typezone"], "AUs"]].concat(only),
        paint: { "line-color": colour, "line-width": 1.2 } }, base),
      Object.assign({ id: "plui-contours-au-fermees", type: "line", filter: ["all", ["==", ["get", "typezone"], "AUs"]].concat(only),
        paint: { "line-color": ZONES.AUs.colour, "line-width": 1.5, "line-dasharray": [3, 2] } }, base),
    ];
  }

  function zonePopup(feature) {
    var p = feature.properties;
    var zone = ZONES[p.typezone];
    return popup([p.libelle + " (" + p.typezone + ") · " + communeName(p.commune_insee),
      p.libelong || (zone ? zone.label : ""),
      number.format(p.surface_m2 / 10000) + " ha" + (p.datappro ? " · approuvée le " + new Date(p.datappro).toLocaleDateString("fr-FR") : "")]);
  }

  var zoning = window.Observatoire.vectorTiles(map, { "zones-plui": el.dataset.tuilesZones },
    zoningLayers(el.dataset.commune), { onError: function () { el.dataset.zonage = "erreur"; } })
    .then(function (tiles) {
      // A click on a plot opens its own popup (Leaflet's vectors are above the tiles); elsewhere, the zone's.
      window.Observatoire.popupsOnTiles(map, tiles.gl, ZONE_LAYERS, zonePopup);
      window.Observatoire.whenTilesDrawn(tiles.gl, "zones-plui", ["zones-plui"], function (features) {
        el.dataset.zonage = String(features.length);
      });
      return tiles;
    });

  getJSON(el.dataset.gisementsUrl)
    .then(function (gisements) {
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
      statusEl.textContent = gisements.features.length + " gisement" + (gisements.features.length > 1 ? "s" : "") +
        " sur la carte, sur le zonage du PLUi.";
    })
    .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; les tableaux restent disponibles."; });
  zoning.catch(function () { statusEl.textContent = "Le zonage du PLUi n'a pas pu être affiché ; les tableaux restent disponibles."; });
})();
