// Reports on a map, clustered by the server (/api/v1/signalements/clusters.geojson): one small
// GeoJSON per view whatever the number of reports, refetched when the map moves; from zoom 17
// the reports themselves. Used by the public map and, through window.CarteSignalements, by the
// dashboard. Tiles are optional: the commune outlines keep the map readable.
(function () {
  "use strict";
  if (!window.L || !window.Observatoire) { return; }

  var OPEN = ["nouveau", "en_analyse", "transmis", "pris_en_charge", "planifie", "reouvert"];
  var COLOURS = { open: "#b34700", resolved: "#146c2e" };
  var formatter = new Intl.NumberFormat("fr-FR");
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

  function describe(data) {
    var total = data.features.reduce(function (sum, f) { return sum + f.properties.count; }, 0);
    if (total === 0) { return "Aucun signalement dans cette vue."; }
    return formatter.format(total) + (total > 1 ? " signalements dans cette vue." : " signalement dans cette vue.");
  }

  // Show the reports of ``url`` (filters included) on ``map``, refreshed on every move.
  // Resolves with the first answer; ``say`` reports in words for screen readers.
  function load(map, url, say) {
    var layer = L.layerGroup().addTo(map);
    var pending = null;
    function fetchView() {
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
  load(map, el.dataset.geojsonUrl, sayIn("carte-signalements-statut"))
    .then(function (result) { el.dataset.loaded = String(result.data.features.length); })
    .catch(function () { el.dataset.loaded = "erreur"; });
})();
