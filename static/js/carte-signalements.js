// Reports on a map, clustered by the server (/api/v1/signalements/clusters.geojson): one small
// GeoJSON per view whatever the number of reports, refetched when the map moves; from zoom 17
// the reports themselves: on the public map from the vector tiles of the « signalements »
// collection (positions rounded as in open data), elsewhere from the same endpoint. Used by the
// public map and, through window.CarteSignalements, by the dashboard. Raster tiles are optional:
// the commune outlines keep the map readable.
(function () {
  "use strict";
  if (!window.L || !window.Observatoire) { return; }

  var OPEN = ["nouveau", "en_analyse", "transmis", "pris_en_charge", "planifie", "reouvert"];
  var COLOURS = { open: "#b34700", resolved: "#146c2e" };
  var formatter = new Intl.NumberFormat("fr-FR");
  var STREET_ZOOM = 17;  // signalements.clusters.POINTS_ZOOM
  var TILE_LAYER = "signalements-points";
  var labels = {};
  var labelsEl = document.getElementById("statuts-signalements");
  if (labelsEl) { labels = JSON.parse(labelsEl.textContent); }

  function baseMap(el) {
    // maxZoom on the map itself: without tiles no layer gives one.
    return window.Observatoire.baseMap(el, { scrollWheelZoom: false, maxZoom: 19 });
  }

  function popupContent(props) {
    // Built with textContent only: the description is free text typed by a citizen.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = props.categorie;
    var status = document.createElement("p");
    status.textContent = labels[props.status] || props.status;
    var meta = document.createElement("p");
    meta.className = "popup-meta";
    meta.textContent = props.reference + " · déposé le " + new Date(props.created_at).toLocaleDateString("fr-FR");
    box.append(title, status, meta);
    if (props.description) {
      var text = document.createElement("p");
      text.className = "popup-description";
      text.textContent = props.description;
      box.append(text);
    }
    return box;
  }

  function clusterIcon(count) {
    var size = Math.round(26 + Math.min(30, 6 * Math.log10(count)));
    return L.divIcon({
      className: "cluster-icon",
      html: window.Observatoire.textNode(formatter.format(count)),
      iconSize: [size, size],
    });
  }

  function draw(layer, map, data) {
    layer.clearLayers();
    data.features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var props = feature.properties;
      if (props.id) {
        var open = OPEN.indexOf(props.status) !== -1;
        L.circleMarker([c[1], c[0]], {
          radius: 7, color: "#fff", weight: 2, fillColor: open ? COLOURS.open : COLOURS.resolved, fillOpacity: 0.95,
        }).bindPopup(function () { return popupContent(props); }).addTo(layer);
      } else {
        var marker = L.marker([c[1], c[0]], {
          icon: clusterIcon(props.count),
          title: formatter.format(props.count) + " signalements : cliquez pour zoomer",
          keyboard: true,
        }).addTo(layer);
        marker.on("click", function () { map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 17)); });
      }
    });
  }

  function describeCount(total) {
    if (total === 0) { return "Aucun signalement dans cette vue."; }
    return formatter.format(total) + (total > 1 ? " signalements dans cette vue." : " signalement dans cette vue.");
  }

  function describe(data) {
    return describeCount(data.features.reduce(function (sum, f) { return sum + f.properties.count; }, 0));
  }

  // A report of the tiles: the collection's properties, then its reviewed description, which the
  // tiles do not carry (free text stays out of the open data), asked to the clusters endpoint
  // around the report's published position.
  function tilePopup(url) {
    return function (feature) {
      var p = feature.properties;
      var box = popupContent({
        categorie: p.categorie, status: p.statut, created_at: p.date_signalement,
        reference: "S-" + String(p.date_signalement).slice(0, 4) + "-" + String(p.identifiant).padStart(6, "0"),
      });
      var c = feature.geometry.coordinates;
      // The endpoint rounds its bbox to 0.001°: a box wider than that still holds the report.
      var bbox = [c[0] - 0.002, c[1] - 0.002, c[0] + 0.002, c[1] + 0.002].map(function (v) { return v.toFixed(4); });
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + bbox.join(",") + "&zoom=" + STREET_ZOOM,
        { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : { features: [] }; })
        .then(function (data) {
          var found = data.features.filter(function (f) { return f.properties.id === p.identifiant; })[0];
          if (found && found.properties.description) {
            var text = document.createElement("p");
            text.className = "popup-description";
            text.textContent = found.properties.description;
            box.append(text);
          }
        })
        .catch(function () { /* the popup keeps what the tile said */ });
      return box;
    };
  }

  // The reports at street zoom from the vector tiles, with the page's filters (statuses, category).
  function streetTiles(map, url, tiles, say) {
    var filter = ["all", ["in", ["get", "statut"], ["literal", tiles.statuts]]];
    if (tiles.categorie) { filter.push(["==", ["get", "categorie_code"], tiles.categorie]); }
    var open = ["in", ["get", "statut"], ["literal", OPEN]];
    return window.Observatoire.vectorTiles(map, { signalements: tiles.url }, [{
      id: TILE_LAYER, type: "circle", source: "signalements", "source-layer": "signalements",
      minzoom: STREET_ZOOM - 1,  // MapLibre's zoom is Leaflet's minus one (512-pixel tiles)
      filter: filter,
      paint: {
        "circle-radius": 7, "circle-stroke-color": "#fff", "circle-stroke-width": 2,
        "circle-color": ["case", open, COLOURS.open, COLOURS.resolved], "circle-opacity": 0.95,
      },
    }], { onError: function () { say("Les signalements n'ont pas pu être chargés. Le tableau sous la carte reste disponible."); } })
      .then(function (result) {
        var gl = result.gl;
        window.Observatoire.popupsOnTiles(map, gl, [TILE_LAYER], tilePopup(url), 6);
        gl.on("idle", function () {
          if (map.getZoom() < STREET_ZOOM) { return; }
          var seen = {};
          gl.queryRenderedFeatures({ layers: [TILE_LAYER] }).forEach(function (f) { seen[f.properties.identifiant] = true; });
          var count = Object.keys(seen).length;
          map.getContainer().dataset.tuiles = String(count);
          say(describeCount(count));
        });
        return result;
      });
  }

  // Show the reports of ``url`` (filters included) on ``map``, refreshed on every move.
  // Resolves with the first answer; ``say`` reports in words for screen readers. With ``tiles``
  // ({url: TileJSON, statuts: [...], categorie: code}), street zoom is drawn from vector tiles.
  function load(map, url, say, tiles) {
    var layer = L.layerGroup().addTo(map);
    var pending = null;
    if (tiles) {
      // MapLibre (a megabyte) only for those who zoom to the street.
      var started = false;
      var startTiles = function () {
        if (started || map.getZoom() < STREET_ZOOM) { return; }
        started = true;
        streetTiles(map, url, tiles, say).catch(function () { /* said by onError */ });
      };
      map.on("zoomend", startTiles);
      startTiles();
    }
    function fetchView() {
      if (tiles && map.getZoom() >= STREET_ZOOM) {
        if (pending) { pending.abort(); }
        layer.clearLayers();
        return Promise.resolve({ layer: layer, data: { type: "FeatureCollection", features: [] } });
      }
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); });
      var full = url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + bbox.join(",") + "&zoom=" + Math.round(map.getZoom());
      if (pending) { pending.abort(); }
      pending = new AbortController();
      return fetch(full, { headers: { Accept: "application/geo+json" }, signal: pending.signal })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          draw(layer, map, data);
          say(describe(data));
          return { layer: layer, data: data };
        });
    }
    map.on("moveend", function () {
      fetchView().catch(function (error) {
        if (error.name !== "AbortError") { say("Les signalements n'ont pas pu être chargés."); }
      });
    });
    return fetchView().catch(function (error) {
      say("Les signalements n'ont pas pu être chargés. Le tableau sous la carte reste disponible.");
      throw error;
    });
  }

  function sayIn(id) {
    var el = document.getElementById(id);
    return function (text) { if (el) { el.textContent = text; } };
  }

  window.CarteSignalements = { baseMap: baseMap, load: load, sayIn: sayIn };

  var el = document.getElementById("carte-signalements");
  if (!el) { return; }
  var map = baseMap(el);
  var tiles = el.dataset.tuilesUrl ? {
    url: el.dataset.tuilesUrl, statuts: el.dataset.tuilesStatuts.split(","), categorie: el.dataset.tuilesCategorie,
  } : null;
  load(map, el.dataset.geojsonUrl, sayIn("carte-signalements-statut"), tiles)
    .then(function (result) { el.dataset.loaded = String(result.data.features.length); })
    .catch(function () { el.dataset.loaded = "erreur"; });
})();
