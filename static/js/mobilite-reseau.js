// Transport network map: lines first, then stops sized by their passages on the typical weekday.
// Both come as vector tiles of the « lignes » and « arrets » collections (thousands of stops and
// long line geometries: a GeoJSON of the whole network weighed megabytes), drawn by MapLibre
// (static/js/tuiles.js); the tables under the map say the same in text.
(function () {
  "use strict";
  var el = document.getElementById("carte-reseau");
  if (!el || !window.L || !window.Observatoire) { return; }
  var statusEl = document.getElementById("carte-reseau-statut");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });
  var formatter = new Intl.NumberFormat("fr-FR");
  var LAYERS = ["reseau-arrets", "reseau-lignes"];

  function plural(n, word) {
    return formatter.format(n) + " " + word + (n > 1 ? "s" : "");
  }

  function line(text, className) {
    var item = document.createElement(className ? "p" : "strong");
    item.textContent = text;
    if (className) { item.className = className; }
    return item;
  }

  function popup(feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    if (feature.layer.id === "reseau-arrets") {
      box.append(line(p.nom), line(formatter.format(p.passages_jour_type) + " passages un jour de semaine type", "popup-meta"));
      if (p.lignes) { box.append(line("Lignes " + p.lignes, "popup-meta")); }
    } else {
      box.append(line("Ligne " + (p.nom_court || p.route_id) + (p.nom_long ? " : " + p.nom_long : "")),
        line(formatter.format(p.courses_jour_type) + " courses un jour de semaine type", "popup-meta"));
    }
    return box;
  }

  var layers = [
    {
      id: "reseau-lignes", type: "line", source: "lignes", "source-layer": "lignes",
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        // GTFS route_color when the feed gives one; heavier strokes for métro, tram and train.
        "line-color": ["case", ["all", ["has", "couleur"], ["!=", ["get", "couleur"], ""]],
          ["to-color", ["concat", "#", ["get", "couleur"]], "#5a7d2a"], "#5a7d2a"],
        "line-width": ["match", ["get", "type_gtfs"], 0, 4, 1, 5, 2, 4, 2],
        "line-opacity": 0.8,
      },
    },
    {
      id: "reseau-arrets", type: "circle", source: "arrets", "source-layer": "arrets",
      paint: {
        "circle-radius": ["+", 2, ["/", ["sqrt", ["to-number", ["get", "passages_jour_type"], 0]], 2.5]],
        "circle-color": "#f5a623", "circle-opacity": 0.85,
        "circle-stroke-color": "#1d3c78", "circle-stroke-width": 1,
      },
    },
  ];

  var failed = false;
  function fail() {
    failed = true;
    el.dataset.tuiles = "erreur";
    statusEl.textContent = "La carte n'a pas pu être chargée ; les tableaux restent disponibles.";
  }

  window.Observatoire.vectorTiles(map, { lignes: el.dataset.tuilesLignes, arrets: el.dataset.tuilesArrets }, layers, { onError: fail })
    .then(function (tiles) {
      window.Observatoire.popupsOnTiles(map, tiles.gl, LAYERS, popup, 4);
      tiles.gl.once("idle", function () {
        if (failed) { return; }
        el.dataset.tuiles = "chargees";
        var stops = Number(el.dataset.nombreArrets), lines = Number(el.dataset.nombreLignes);
        statusEl.textContent = plural(stops, "arrêt") + ", " + plural(lines, "ligne") +
          ". Cliquez sur un arrêt ou une ligne pour le détail.";
      });
    })
    .catch(fail);
})();
