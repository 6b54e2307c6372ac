// Filing a report: place the point, see which categories the commune opens there,
// read the category's notice, and support a nearby report instead of a duplicate.
(function () {
  "use strict";
  var mapEl = document.getElementById("carte-signalement");
  if (!mapEl || !window.L) { return; }
  var form = document.getElementById("form-signalement");
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var statusEl = document.getElementById("lieu-statut");
  var choices = Array.prototype.slice.call(document.querySelectorAll(".choice"));
  var proches = document.getElementById("proches");
  var prochesList = document.getElementById("proches-liste");
  var procheTemplate = document.getElementById("proche-modele");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  var map = window.Observatoire.baseMap(mapEl);
  var marker = null;
  // The category the person chose: kept while it is open where the pin is, chosen again if the
  // pin comes back to where it is open, and never dropped without saying so.
  var wantedCode = selectedCode();
  var categoryStatus = document.getElementById("categorie-statut");
  var nudgeTimer = null;

  function say(text) { statusEl.textContent = text; }

  function selectedCode() {
    var checked = form.querySelector("input[name=categorie]:checked");
    return checked ? checked.closest(".choice").dataset.code : null;
  }

  function setPoint(latlng, pan) {
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    if (!marker) {
      marker = L.marker(latlng, {
        draggable: true, keyboard: true, title: "Lieu du signalement",
        alt: "Repère du signalement (les flèches le déplacent)",
      }).addTo(map);
      marker.on("dragend", function () { setPoint(marker.getLatLng(), false); });
      // One check of the categories once the pin rests, not one per key press.
      window.Observatoire.nudgeWithKeys(map, marker, function (moved) {
        clearTimeout(nudgeTimer);
        nudgeTimer = setTimeout(function () { setPoint(moved, false); }, 300);
      });
    } else {
      marker.setLatLng(latlng);
    }
    if (pan) { map.setView(latlng, Math.max(map.getZoom(), 16)); }
    refreshCategories();
    form.dispatchEvent(new CustomEvent("signaler:repere", { detail: latlng }));
  }

  function showChoiceState(choice, offer) {
    var input = choice.querySelector("input");
    var closed = choice.querySelector(".choice-closed");
    var open = offer ? offer.ouverte : false;
    input.disabled = !open;
    choice.classList.toggle("choice-disabled", !open);
    var lost = !open && input.checked;
    if (lost) { input.checked = false; }
    if (open && choice.dataset.code === wantedCode) { input.checked = true; }
    closed.hidden = open;
    closed.textContent = open ? "" : [offer && offer.explication, offer && offer.canal_alternatif].filter(Boolean).join(" ");
    return lost;
  }

  // Said in a live region beside the categories: the person chose it before placing the pin.
  function showAll(byCode, where) {
    var lost = choices.filter(function (choice) { return showChoiceState(choice, byCode && byCode[choice.dataset.code]); });
    var kept = form.querySelector("input[name=categorie]:checked");
    if (lost.length) {
      categoryStatus.textContent = "« " + lost[0].dataset.nom + " » n'est pas ouverte " + where +
        " : votre choix est retiré. Choisissez une autre catégorie ou déplacez le repère.";
    } else if (kept && wantedCode) {
      categoryStatus.textContent = "« " + kept.closest(".choice").dataset.nom + " » reste choisie.";
    }
    form.dispatchEvent(new Event("categories-actualisees"));
  }

  // Typing coordinates moves the pin twice (latitude, then longitude): only the answer for the
  // latest position may be shown, whatever order the answers arrive in.
  var categoriesRequest = 0;

  function refreshCategories() {
    var url = mapEl.dataset.categoriesUrl + "?lat=" + latInput.value + "&lon=" + lonInput.value;
    var request = ++categoriesRequest;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        // X-Signaler-Cache: offline, the service worker answered with the last list it saw.
        return response.json().then(function (body) {
          return { ok: response.ok, body: body, cached: response.headers.has("X-Signaler-Cache") };
        });
      })
      .then(function (result) {
        if (request !== categoriesRequest) { return; }
        if (!result.ok) {
          var messages = (result.body.errors && (result.body.errors.location || result.body.errors.non_field_errors)) || [result.body.detail];
          say(messages.join(" "));
          showAll(null, "à cet endroit");
          return;
        }
        var byCode = {};
        result.body.categories.forEach(function (offer) { byCode[offer.code] = offer; });
        var openCount = result.body.categories.filter(function (o) { return o.ouverte; }).length;
        if (result.cached) {
          say("Repère placé. Hors ligne : catégories connues lors de votre dernière connexion (à " +
            result.body.commune.nom + ") ; elles seront vérifiées à l'envoi.");
          showAll(byCode, "d'après la dernière liste connue");
          return;
        }
        say("Repère placé à " + result.body.commune.nom + ". " + openCount + " catégorie" + (openCount > 1 ? "s ouvertes" : " ouverte") + " ici.");
        showAll(byCode, "à " + result.body.commune.nom);
        refreshNearby();
      })
      .catch(function () {
        if (request === categoriesRequest) { say("Impossible de vérifier les catégories ouvertes : réessayez."); }
      });
  }

  function refreshNearby() {
    var code = selectedCode();
    proches.hidden = true;
    prochesList.textContent = "";
    if (!code || !latInput.value) { return; }
    var url = mapEl.dataset.prochesUrl + "?lat=" + latInput.value + "&lon=" + lonInput.value + "&categorie=" + encodeURIComponent(code);
    var actif = form.querySelector("input[name=actif]");
    if (actif && actif.value) { url += "&actif=" + encodeURIComponent(actif.value); }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (reports) {
        reports.forEach(function (report) {
          var item = procheTemplate.content.firstElementChild.cloneNode(true);
          item.querySelector(".proche-texte").textContent =
            (report.meme_equipement ? "Même équipement · " : "") + report.reference + " · " + report.categorie_nom + " · " + report.status_label +
            " · déposé le " + new Date(report.created_at).toLocaleDateString("fr-FR") +
            (report.soutiens ? " · " + report.soutiens + " soutien(s)" : "");
          var supportForm = item.querySelector("form");
          supportForm.action = "/signalements/" + report.id + "/soutenir/";
          supportForm.querySelector("input").value = csrf;
          prochesList.appendChild(item);
        });
        proches.hidden = reports.length === 0;
      })
      .catch(function () {});  // offline: no nearby reports to propose
  }

  choices.forEach(function (choice) {
    choice.querySelector("input").addEventListener("change", function () {
      wantedCode = choice.dataset.code;
      categoryStatus.textContent = "";
      choices.forEach(function (other) {
        var notice = other.querySelector(".choice-notice");
        if (notice) { notice.hidden = other !== choice; }
      });
      refreshNearby();
    });
  });

  map.on("click", function (event) { setPoint(event.latlng, false); });
  window.Observatoire.keyboardPlacement(map, function (centre) { setPoint(centre, false); });
  document.getElementById("placer-centre").addEventListener("click", function () { setPoint(map.getCenter(), false); });

  // Place search: an address places the pin; a commune frames the map for a click or for the
  // keyboard. Focus goes to the map before the list (and the focused result) is hidden, so that
  // it never falls back to the top of the page.
  var searchInput = document.getElementById("recherche-lieu");
  var searchResults = document.getElementById("recherche-resultats");
  function choose(result) {
    mapEl.focus();
    searchResults.hidden = true;
    if (result.kind === "commune") {
      map.setView([result.lat, result.lon], 14);
      say(result.label + " : la carte est centrée dessus. Cliquez à l'endroit exact du problème, " +
        "ou déplacez la carte avec les flèches puis appuyez sur Entrée pour placer le repère au centre.");
    } else {
      setPoint(L.latLng(result.lat, result.lon), true);
    }
  }
  window.Observatoire.placeSearch(
    searchInput, document.getElementById("recherche-bouton"), searchResults, choose, say
  );

  document.getElementById("ma-position").addEventListener("click", function () {
    if (!navigator.geolocation) { say("Votre navigateur ne donne pas accès à la position."); return; }
    say("Recherche de votre position…");
    navigator.geolocation.getCurrentPosition(
      function (position) { setPoint(L.latLng(position.coords.latitude, position.coords.longitude), true); },
      function () { say("Position indisponible : cliquez sur la carte."); },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });

  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (!isNaN(lat) && !isNaN(lon)) { setPoint(L.latLng(lat, lon), true); }
    });
  });

  // The assets' script (signaler-actifs.js) works on the same map, pin and nearby reports.
  window.Observatoire.signaler = { map: map, setPoint: setPoint, selectedCode: selectedCode, refreshNearby: refreshNearby };

  // After a refused submission the point is already there: show it again.
  if (latInput.value && lonInput.value) {
    setPoint(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)), true);
  }
})();
