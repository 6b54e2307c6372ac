// Vector tiles (OGC API – Tiles, /ogc/collections/{id}/tiles/…) drawn by MapLibre GL inside our
// Leaflet maps (docs/adr/0014-tuiles-vectorielles-carto.md). MapLibre ships as ES modules only: it
// is imported on first use, with its stylesheet, from the URLs this script's tag carries
// (data-maplibre, data-maplibre-leaflet, data-maplibre-css), so a page, or a view of a page,
// without vector layers never downloads it. Its worker comes from
// the same folder (same origin): the CSP needs no blob: worker.
(function () {
  "use strict";
  window.Observatoire = window.Observatoire || {};
  var script = document.currentScript;
  var library = null;

  function load() {
    if (!library) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = script.dataset.maplibreCss;
      document.head.appendChild(css);
      library = import(script.dataset.maplibre).then(function (maplibregl) {
        // The Leaflet binding is a UMD bundle that reads the global when it runs.
        window.maplibregl = maplibregl;
        return import(script.dataset.maplibreLeaflet);
      });
    }
    return library;
  }

  // Each collection's TileJSON, read here rather than by MapLibre (a ``url`` source) so that the
  // tile size can be set beside it and a refusal (401, 403) is told like any other failure.
  function tileJSON(path) {
    return fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("TileJSON " + path + " : HTTP " + response.status); }
        return response.json();
      });
  }

  // A blank style holding our sources and layers; no basemap here: the raster tiles or the commune
  // outlines of maps.js stay under it.
  function style(documents, layers) {
    var styleSources = {};
    Object.keys(documents).forEach(function (id) {
      var doc = documents[id];
      // MapLibre draws every vector tile at 512 pixels (it refuses another size): the tile of zoom
      // z, cut for WebMercatorQuad's 256 pixels, is drawn at Leaflet's zoom z + 1, magnified twice,
      // which the MVT's 4096-unit grid bears. So the collection's zooms are Leaflet's minus one.
      styleSources[id] = {
        type: "vector", tiles: doc.tiles, minzoom: doc.minzoom, maxzoom: doc.maxzoom, bounds: doc.bounds,
      };
    });
    return { version: 8, sources: styleSources, layers: layers };
  }

  // Adds the collections ``sources`` ({source id: TileJSON path}) drawn as ``layers`` (MapLibre style
  // layers) to ``map``, in a pane above the local background and under Leaflet's own vectors and
  // markers. Resolves with the Leaflet layer and its MapLibre map; ``options.onError(message)`` is
  // told when a tile or the TileJSON cannot be read (401/403 included); ``options.fromMinZoom``
  // keeps the map from zooming out beyond the collections' first zoom.
  window.Observatoire.vectorTiles = function (map, sources, layers, options) {
    options = options || {};
    var onError = options.onError || function () {};
    if (!map.getPane("tuiles")) { map.createPane("tuiles").style.zIndex = 300; }
    var ids = Object.keys(sources);
    var documents = ids.map(function (id) { return tileJSON(sources[id]); });

    function draw(results) {
      var docs = {};
      ids.forEach(function (id, i) { docs[id] = results[i + 1]; });
      var layer = L.maplibreGL({
        style: style(docs, layers), pane: "tuiles", interactive: false,
        fadeDuration: 0,  // no symbols to fade in: each frame is the final one
      });
      if (options.fromMinZoom) {
        // Under a collection's first zoom MapLibre draws nothing (it never underzooms): the map
        // stops there (Leaflet's zoom is MapLibre's plus one).
        var first = Math.max.apply(null, ids.map(function (id) { return docs[id].minzoom || 0; }));
        map.setMinZoom(first + 1);
      }
      layer.addTo(map);
      var gl = layer.getMaplibreMap();
      // For the browser tests, which find the features drawn on the canvas through it.
      map.getContainer().observatoireTuiles = { map: map, gl: gl };
      gl.on("error", function (event) { onError(event.error ? event.error.message : String(event)); });
      return { layer: layer, gl: gl };
    }

    // A missing TileJSON, a refusal, or no WebGL 2 (MapLibre's constructor throws): told, then rejected.
    return Promise.all([load()].concat(documents)).then(draw).catch(function (error) {
      onError(error.message);
      throw error;
    });
  };

  // The features of ``layerIds`` drawn under a Leaflet mouse event, nearest first.
  window.Observatoire.featuresAt = function (gl, latlng, layerIds, radius) {
    var point = gl.project([latlng.lng, latlng.lat]);
    var r = radius || 0;
    var box = [[point.x - r, point.y - r], [point.x + r, point.y + r]];
    var present = layerIds.filter(function (id) { return gl.getLayer(id); });
    return present.length ? gl.queryRenderedFeatures(box, { layers: present }) : [];
  };

  // Clicks on the tiles open a Leaflet popup with every feature found there (sales of one building,
  // lines sharing a street), up to POPUP_MOST; ``content(feature)`` builds each part, or null.
  // The pointer says where a click would find something.
  var POPUP_MOST = 8;
  window.Observatoire.popupsOnTiles = function (map, gl, layerIds, content, radius) {
    var container = map.getContainer();
    map.on("mousemove", function (event) {
      var found = window.Observatoire.featuresAt(gl, event.latlng, layerIds, radius).length > 0;
      container.classList.toggle("map-tuiles-survol", found);
    });
    map.on("click", function (event) {
      // A click on one of Leaflet's own shapes or markers (above the tiles) is theirs.
      if (event.originalEvent.target.classList.contains("leaflet-interactive")) { return; }
      var seen = {};
      var parts = [];
      window.Observatoire.featuresAt(gl, event.latlng, layerIds, radius).forEach(function (feature) {
        // A feature cut by tile edges comes once per tile: the same properties, one part.
        var key = feature.layer.id + JSON.stringify(feature.properties);
        if (seen[key]) { return; }
        seen[key] = true;
        var node = content(feature);
        if (node) { parts.push(node); }
      });
      if (!parts.length) { return; }
      var box = document.createElement("div");
      parts.slice(0, POPUP_MOST).forEach(function (node, i) {
        if (i > 0) { node.classList.add("popup-suite"); }
        box.appendChild(node);
      });
      if (parts.length > POPUP_MOST) {
        var more = document.createElement("p");
        more.className = "popup-meta";
        more.textContent = "… et " + (parts.length - POPUP_MOST) + " autres ici : zoomez pour les séparer.";
        box.appendChild(more);
      }
      L.popup({ maxHeight: 320 }).setLatLng(event.latlng).setContent(box).openOn(map);
    });
  };

  // When MapLibre has drawn every tile in view: fn(features of ``layerIds`` in the tiles loaded).
  window.Observatoire.whenTilesDrawn = function (gl, sourceId, sourceLayers, fn) {
    gl.on("idle", function () {
      var features = [];
      sourceLayers.forEach(function (sourceLayer) {
        features = features.concat(gl.querySourceFeatures(sourceId, { sourceLayer: sourceLayer }));
      });
      fn(features);
    });
  };
})();
