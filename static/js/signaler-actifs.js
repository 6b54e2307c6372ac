// Assets on the filing map: at street zoom, the chosen category's assets (street lights, bins…)
// appear; choosing one (marker or list of the nearest, by mouse or keyboard) places the report on
// it and sends its identifier with the form. Moving the pin elsewhere drops the choice, saying so.
(function () {
  "use strict";
  var page = window.Observatoire && window.Observatoire.signaler;
  var box = document.getElementById("actifs");
  if (!page || !box) { return; }
  var STREET_ZOOM = 17;
  var map = page.map;
  var mapEl = document.getElementById("carte-signalement");
  var form = document.getElementById("form-signalement");
  var input = form.querySelector("input[name=actif]");
  var status = document.getElementById("actifs-statut");
  var chooser = document.getElementById("actifs-choix");
  var list = document.getElementById("actifs-liste");
  var clear = document.getElementById("actif-retirer");
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var layer = L.layerGroup().addTo(map);
  var placing = false;
  var request = 0;
  var announced = null;

  function say(text) { status.textContent = text; }

  function category() {
    var checked = form.querySelector("input[name=categorie]:checked");
    var choice = checked && checked.closest(".choice");
    return choice && choice.dataset.actifs ? { code: choice.dataset.code, nom: choice.dataset.nom } : null;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; });
  }

  function choose(feature) {
    var props = feature.properties;
    var coords = feature.geometry.coordinates;
    input.value = props.identifiant;
    var where = L.latLng(coords[1], coords[0]);
    placing = true;
    page.setPoint(where, false);
    placing = false;
    map.panInside(where, { padding: [40, 40] });  // a light at the edge of the view comes into it
    clear.hidden = false;
    say("Signalement placé sur l'équipement " + props.description + ".");
    drawMarkers();
    page.refreshNearby();
  }

  // Returns whether a choice was dropped, so that the next refresh keeps the reason on screen.
  function drop(reason) {
    if (!input.value) { return false; }
    input.value = "";
    clear.hidden = true;
    say(reason);
    drawMarkers();
    return true;
  }

  var features = [];
  function drawMarkers() {
    layer.clearLayers();
    features.forEach(function (feature) {
      var coords = feature.geometry.coordinates;
      var chosen = feature.properties.identifiant === input.value;
      var marker = L.circleMarker([coords[1], coords[0]], {
        radius: chosen ? 9 : 7, weight: 2, color: "#1d3557", fillColor: chosen ? "#e76f51" : "#ffffff", fillOpacity: 1,
        className: "actif-marqueur",
      });
      marker.bindTooltip(feature.properties.description);
      marker.on("click", function (event) { L.DomEvent.stopPropagation(event); choose(feature); });
      marker.addTo(layer);
      // Reachable and named for the keyboard and screen readers, like a button.
      var element = marker.getElement();
      element.setAttribute("role", "button");
      element.setAttribute("tabindex", "0");
      element.setAttribute("aria-label", (chosen ? "Choisi : " : "Choisir ") + feature.properties.description);
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(feature); }
      });
    });
  }

  function showList(nearest) {
    list.textContent = "";
    nearest.forEach(function (feature) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      var chosen = feature.properties.identifiant === input.value;
      button.textContent = feature.properties.description + " — à " + feature.properties.distance_m + " m" + (chosen ? " (choisi)" : "");
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.addEventListener("click", function () { choose(feature); button.focus(); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!nearest.length) {
      var none = document.createElement("li");
      none.textContent = "Aucun équipement de cette catégorie à moins de 150 m du repère.";
      list.appendChild(none);
    }
  }

  function refresh(quiet) {
    var wanted = category();
    var mine = ++request;
    layer.clearLayers();
    features = [];
    if (!wanted) {
      announced = null;
      box.hidden = !input.value;
      chooser.hidden = true;
      return;
    }
    box.hidden = false;
    chooser.hidden = !latInput.value;
    // Said once per change of category or of side of the street zoom, not at every pan.
    var state = wanted.code + (map.getZoom() < STREET_ZOOM ? ":loin" : ":rue");
    var announce = !quiet && !input.value && state !== announced;
    announced = state;
    if (map.getZoom() < STREET_ZOOM) {
      if (announce) { say("Zoomez au niveau de la rue pour voir les équipements « " + wanted.nom + " » sur la carte."); }
    } else {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); }).join(",");
      getJSON(mapEl.dataset.actifsUrl + "?categorie=" + encodeURIComponent(wanted.code) + "&bbox=" + bbox)
        .then(function (body) {
          if (mine !== request) { return; }
          features = body.features || [];
          drawMarkers();
          if (announce) {
            say(features.length + " équipement" + (features.length > 1 ? "s" : "") + " « " + wanted.nom + " » sur la carte" +
              (body.limite_atteinte ? " (les plus proches du centre ; zoomez pour les autres)" : "") +
              ". Cliquez sur l'un d'eux ou choisissez-le dans la liste.");
          }
        })
        .catch(function () {});
    }
    if (latInput.value) {
      getJSON(mapEl.dataset.actifsProchesUrl + "?categorie=" + encodeURIComponent(wanted.code) +
        "&lat=" + latInput.value + "&lon=" + lonInput.value)
        .then(function (body) { if (mine === request) { showList(body.features || []); } })
        .catch(function () {});
    }
  }

  form.addEventListener("signaler:repere", function () {
    refresh(!placing && drop("Le repère a été déplacé : plus aucun équipement n'est visé."));
  });
  Array.prototype.forEach.call(form.querySelectorAll("input[name=categorie]"), function (radio) {
    radio.addEventListener("change", function () {
      refresh(drop("Catégorie changée : l'équipement choisi est retiré."));
    });
  });
  map.on("moveend", function () { refresh(false); });
  clear.addEventListener("click", function () {
    var dropped = drop("Aucun équipement n'est visé : le signalement reste à l'endroit du repère.");
    page.refreshNearby();
    refresh(dropped);
  });
  if (input.value) { clear.hidden = false; }
  refresh();
})();
