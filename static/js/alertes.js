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
  function runSearch() {
    var query = searchInput.value.trim();
    if (query.length < 3) { say("Saisissez au moins 3 caractères."); return; }
    fetch(searchInput.dataset.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        searchResults.textContent = "";
        (body.results || []).forEach(function (result) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.textContent = result.label;
          button.addEventListener("click", function () { choose(result); });
          item.appendChild(button);
          searchResults.appendChild(item);
        });
        if (!body.results || !body.results.length) {
          var none = document.createElement("li");
          none.textContent = "Aucun lieu trouvé sur le territoire.";
          searchResults.appendChild(none);
        }
        searchResults.hidden = false;
      })
      .catch(function () { say("La recherche n'a pas abouti : cliquez directement sur la carte."); });
  }
  document.getElementById("recherche-bouton").addEventListener("click", runSearch);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); runSearch(); }
  });

  showChosen();
})();
