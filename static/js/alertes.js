// Area alerts: show the fields of the chosen zone only, and choose a circle's centre by an
// address search or a click on the map, the circle drawn with the chosen radius.
(function () {
  "use strict";
  var form = document.getElementById("form-alertes");
  if (!form) { return; }
  var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=zone_type]"));
  var sections = Array.prototype.slice.call(form.querySelectorAll(".alertes-choix"));
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var rayonInput = document.getElementById("id_rayon_m");
  var lieuInput = document.getElementById("id_lieu");
  var statusEl = document.getElementById("lieu-statut");
  var mapEl = document.getElementById("carte-alertes");
  var map = null, circle = null;

  function say(text) { statusEl.textContent = text; }

  function chosen() {
    var checked = form.querySelector("input[name=zone_type]:checked");
    return checked ? checked.value : null;
  }

  // Without a choice every section stays visible, as without JavaScript.
  function showChosen() {
    var zone = chosen();
    sections.forEach(function (section) { section.hidden = zone !== null && section.dataset.zone !== zone; });
    if (zone === "rayon") { ensureMap(); }
  }

  function radius() {
    var value = parseInt(rayonInput.value, 10);
    return isNaN(value) ? 500 : Math.min(2000, Math.max(100, value));
  }

  function drawCircle(latlng) {
    if (!map) { return; }
    if (!circle) {
      circle = L.circle(latlng, { radius: radius(), color: "#1d3c78", weight: 2, fillOpacity: 0.15 }).addTo(map);
    } else {
      circle.setLatLng(latlng);
      circle.setRadius(radius());
    }
  }

  function setCentre(latlng, label, pan) {
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    if (label) { lieuInput.value = label; }
    drawCircle(latlng);
    if (pan && map) { map.fitBounds(circle.getBounds(), { maxZoom: 16 }); }
    say("Centre choisi" + (label ? " : " + label : "") + ". Rayon : " + radius() + " m.");
  }

  function ensureMap() {
    if (map || !window.L || !mapEl) { return; }
    map = window.Observatoire.baseMap(mapEl);
    map.on("click", function (event) { setCentre(event.latlng, "", false); });
    window.Observatoire.keyboardPlacement(map, function (centre) { setCentre(centre, "", false); });
    if (latInput.value && lonInput.value) {
      setCentre(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)), "", true);
    }
  }

  radios.forEach(function (radio) { radio.addEventListener("change", showChosen); });
  rayonInput.addEventListener("input", function () {
    if (circle) { circle.setRadius(radius()); say("Rayon : " + radius() + " m."); }
  });
  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (!isNaN(lat) && !isNaN(lon)) { setCentre(L.latLng(lat, lon), "", true); }
    });
  });

  var searchInput = document.getElementById("recherche-lieu");
  var searchResults = document.getElementById("recherche-resultats");
  function choose(result) {
    searchResults.hidden = true;
    mapEl.focus();
    setCentre(L.latLng(result.lat, result.lon), result.label, true);
  }
  window.Observatoire.placeSearch(
    searchInput, document.getElementById("recherche-bouton"), searchResults, choose, say
  );

  showChosen();
})();
