// DVF sales map for agents: the restricted « dvf-mutations » collection as vector tiles (MapLibre,
// static/js/tuiles.js). At street zoom the tiles hold each sale (a point coloured by what was sold);
// above, grid cells with their number of sales and median price per m². The colours come from the
// page: the sale types (#dvf-types) and the legend's price classes, so map and legend agree.
(function () {
  "use strict";
  var el = document.getElementById("carte-dvf");
  if (!el || !window.L || !window.Observatoire) { return; }
  var statusEl = document.getElementById("carte-dvf-statut");
  var types = JSON.parse(document.getElementById("dvf-types").textContent);
  var integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  var euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var LAYERS = ["dvf-ventes", "dvf-carreaux"];
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false, maxZoom: 19 });

  function say(text) { statusEl.textContent = text; }

  // Legend swatches: their colour is a data attribute (the CSP forbids style attributes).
  document.querySelectorAll(".legende-dvf [data-couleur]").forEach(function (swatch) {
    swatch.style.background = swatch.dataset.couleur;
  });

  function typeColour() {
    var expression = ["match", ["get", "type_mutation"]];
    Object.keys(types).forEach(function (code) { expression.push(code, types[code].couleur); });
    expression.push("#6b7280");
    return expression;
  }

  // ["step", median, colour below the first class, from₁, colour₁, …], grey when the median is secret.
  function priceColour() {
    var classes = Array.prototype.map.call(document.querySelectorAll("#legende-dvf-prix li[data-min]"), function (li) {
      return [Number(li.dataset.min), li.querySelector("[data-couleur]").dataset.couleur];
    });
    var step = ["step", ["to-number", ["get", "prix_m2_median"]], classes[0][1]];
    classes.slice(1).forEach(function (c) { step.push(c[0], c[1]); });
    return ["case", ["has", "prix_m2_median"], step, "#6b7280"];
  }

  var cell = ["has", "count"];
  var layers = [
    {
      id: "dvf-carreaux", type: "circle", source: "dvf", "source-layer": "dvf-mutations", filter: cell,
      paint: {
        "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 5, 30, 22],
        "circle-color": priceColour(), "circle-opacity": 0.8,
        "circle-stroke-color": "#fff", "circle-stroke-width": 1,
      },
    },
    {
      id: "dvf-ventes", type: "circle", source: "dvf", "source-layer": "dvf-mutations", filter: ["!", cell],
      paint: {
        "circle-radius": 6, "circle-color": typeColour(), "circle-opacity": 0.95,
        "circle-stroke-color": "#fff", "circle-stroke-width": 1.5,
      },
    },
  ];

  function lines(texts) {
    var box = document.createElement("div");
    texts.filter(Boolean).forEach(function (text, i) {
      var item = document.createElement(i === 0 ? "strong" : "p");
      item.textContent = text;
      if (i > 0) { item.className = "popup-meta"; }
      box.appendChild(item);
    });
    return box;
  }

  function area(m2) { return integer.format(m2) + " m²"; }

  function popup(feature) {
    var p = feature.properties;
    if (p.count !== undefined) {
      return lines([integer.format(p.count) + (p.count > 1 ? " ventes" : " vente") + " dans ce carreau",
        p.prix_m2_median !== undefined && p.prix_m2_median !== null
          ? "Prix médian : " + integer.format(p.prix_m2_median) + " €/m²" : "Prix médian non diffusé",
        "Zoomez jusqu'à la rue pour voir chaque vente."]);
    }
    var type = types[p.type_mutation];
    var price = Number(p.valeur_fonciere);
    var built = Number(p.surface_bati_m2) || 0;
    return lines([
      (type ? type.libelle : p.type_mutation) + " · " + new Date(p.date_mutation).toLocaleDateString("fr-FR"),
      p.nature_mutation + (price ? " : " + euros.format(price) : ""),
      built ? "Surface bâtie : " + area(built) + (p.pieces_principales ? " · " + p.pieces_principales + " pièces" : "") +
        (price ? " · " + integer.format(price / built) + " €/m²" : "") : "",
      Number(p.surface_terrain_m2) ? "Terrain : " + area(Number(p.surface_terrain_m2)) : "",
    ]);
  }

  function describe(gl) {
    var rendered = gl.queryRenderedFeatures({ layers: LAYERS });
    var sales = rendered.filter(function (f) { return f.layer.id === "dvf-ventes"; });
    var seen = {};
    if (sales.length) {
      sales.forEach(function (f) { seen[f.properties.id_mutation] = true; });
      var n = Object.keys(seen).length;
      return integer.format(n) + (n > 1 ? " ventes" : " vente") + " dans cette vue. Cliquez sur une vente pour son détail.";
    }
    var total = 0;
    rendered.forEach(function (f) {
      var key = f.geometry.coordinates.join(",");
      if (!seen[key]) { seen[key] = true; total += Number(f.properties.count) || 0; }
    });
    if (!total) { return "Aucune vente dans cette vue."; }
    return integer.format(total) + " ventes dans cette vue, regroupées par carreau. Zoomez jusqu'à la rue pour voir chaque vente.";
  }

  var failed = false;
  window.Observatoire.vectorTiles(map, { dvf: el.dataset.tuilesDvf }, layers, {
    fromMinZoom: true,  // the cells are the map's point above street zoom: never an empty map
    onError: function () {
      failed = true;
      el.dataset.tuiles = "erreur";
      say("Les ventes n'ont pas pu être chargées ; le tableau par commune reste disponible.");
    },
  }).then(function (tiles) {
    window.Observatoire.popupsOnTiles(map, tiles.gl, LAYERS, popup, 4);
    tiles.gl.on("idle", function () {
      if (failed) { return; }
      el.dataset.tuiles = "chargees";
      say(describe(tiles.gl));
    });
  }).catch(function () { say("La carte n'a pas pu être chargée ; le tableau par commune reste disponible."); });
})();
