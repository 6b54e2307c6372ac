// Reports on a map, grouped with Leaflet.markercluster, from the public GeoJSON endpoint.
// Used by the public map (#carte-signalements) and, through window.CarteSignalements, by the
// dashboard. Tiles are optional (data-tiles-url empty): the markers alone keep the map useful.
(function () {
  "use strict";
  if (!window.L) { return; }

  var OPEN = ["nouveau", "en_analyse", "transmis", "pris_en_charge", "planifie", "reouvert"];
  var COLOURS = { open: "#b34700", resolved: "#146c2e" };
  var formatter = new Intl.NumberFormat("fr-FR");

  function baseMap(el) {
    var b = el.dataset.bounds.split(",").map(Number);
    // maxZoom on the map itself: markercluster needs one, and without tiles no layer gives it.
    var map = L.map(el, { zoomSnap: 0.5, scrollWheelZoom: false, maxZoom: 19 });
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    if (el.dataset.tilesUrl) {
      L.tileLayer(el.dataset.tilesUrl, { attribution: el.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-no-tiles");
    }
    // Commune outlines: a reference to read the map by, even without a base map.
    if (el.dataset.communesUrl) {
      fetch(el.dataset.communesUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var outlines = L.geoJSON(data, {
            interactive: false,
            style: { color: "#1d3c78", weight: 1, fillColor: "#4f7cc9", fillOpacity: 0.06 },
          }).addTo(map);
          outlines.bringToBack();
        })
        .catch(function () { /* the reports stay readable without the outlines */ });
    }
    return map;
  }

  function isOpen(props) { return OPEN.indexOf(props.status) !== -1; }

  function popupContent(props) {
    // Built with textContent only: the description is free text typed by a citizen.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = props.categorie;
    var status = document.createElement("p");
    status.textContent = props.status_label;
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

  function markers(data) {
    var group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
    var layers = data.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var colour = isOpen(feature.properties) ? COLOURS.open : COLOURS.resolved;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95,
      });
      marker.bindPopup(function () { return popupContent(feature.properties); });
      return marker;
    });
    group.addLayers(layers);
    return group;
  }

  // Fetch ``url`` and add the clustered reports to ``map``; ``say`` reports progress in words.
  function load(map, url, say) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var layer = markers(data);
        map.addLayer(layer);
        var n = data.features.length;
        var text = n === 0 ? "Aucun signalement à afficher." :
          formatter.format(n) + (n > 1 ? " signalements affichés." : " signalement affiché.");
        if (data.truncated) {
          text += " Seuls les " + formatter.format(data.limit) + " plus récents sont affichés : choisissez une catégorie pour affiner.";
        }
        say(text);
        return { layer: layer, data: data };
      })
      .catch(function (error) {
        say("Les signalements n'ont pas pu être chargés. Le tableau sous la carte reste disponible.");
        window.console.error(error);
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
    .then(function (result) {
      el.dataset.loaded = String(result.data.features.length);
      if (result.data.features.length) { map.fitBounds(result.layer.getBounds(), { maxZoom: 16 }); }
    })
    .catch(function () { el.dataset.loaded = "erreur"; });
})();
