// Offline filing. The page installs its service worker (signalements/hors_ligne/service-worker.js);
// a report sent without network is kept on this device (IndexedDB, photos as Blobs) in a list the
// agent sees, and sent when the network is back, under its own idempotency key: if a reply is lost
// and the report is sent again, the server answers with the report already filed.
(function () {
  "use strict";
  var root = document.getElementById("hors-ligne");
  var form = document.getElementById("form-signalement");
  if (!root || !form || !window.indexedDB) { return; }

  var DB_NAME = "signalements-hors-ligne";
  var STORE = "envois";
  var offlineBanner = document.getElementById("hors-ligne-etat");
  var message = document.getElementById("hors-ligne-message");
  var errorBox = document.getElementById("hors-ligne-erreur");
  var pendingBox = document.getElementById("hors-ligne-attente");
  var pendingCount = document.getElementById("hors-ligne-nombre");
  var pendingList = document.getElementById("hors-ligne-liste");
  var sendButton = document.getElementById("hors-ligne-envoyer");
  var sending = false;

  if ("serviceWorker" in navigator) {
    // Without a worker the page still files online; nothing to tell the person.
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.scope }).catch(function () {});
  }

  // --- The device's list ------------------------------------------------------------------------
  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { keyPath: "cle" }); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }
  function allPending() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (records) {
      return records.sort(function (a, b) { return a.cree_le - b.cree_le; });
    });
  }
  function save(record) { return store("readwrite", function (s) { return s.put(record); }); }
  function remove(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  // The form's own key pattern ([A-Za-z0-9_-]{20,64}): 24 random bytes in base64url.
  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(24));
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }

  // --- What the person sees ---------------------------------------------------------------------
  function say(text) { message.textContent = text; }
  // Focus goes to the error after the person's own action; an error found while sending in the
  // background is announced (role=alert) without taking the focus from what the person is doing.
  function showError(text, keepFocus) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
    if (text && !keepFocus) { errorBox.focus(); }
  }
  function showConnection() { offlineBanner.hidden = navigator.onLine; }

  function describe(record) {
    var when = new Date(record.cree_le);
    return record.resume.categorie + " · « " + record.resume.description + " » · gardé le " +
      when.toLocaleDateString("fr-FR") + " à " + when.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  }

  function render() {
    return allPending().then(function (records) {
      pendingCount.textContent = String(records.length);
      pendingBox.hidden = records.length === 0;
      pendingList.textContent = "";
      records.forEach(function (record) {
        var item = document.createElement("li");
        var text = document.createElement("span");
        text.textContent = describe(record);
        item.appendChild(text);
        var state = document.createElement("span");
        state.className = record.erreur ? "error-text hors-ligne-etat" : "hors-ligne-etat";
        state.textContent = record.erreur ? "Non envoyé : " + record.erreur
          : (record.bloque || "En attente du réseau.");
        item.appendChild(state);
        if (record.connexion) {
          var login = document.createElement("a");
          login.href = root.dataset.loginUrl;
          login.textContent = "Se connecter pour l'envoyer";
          item.appendChild(login);
          item.appendChild(document.createTextNode(" "));
        }
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "link-button";
        drop.textContent = "Retirer de la liste";
        drop.setAttribute("aria-label", "Retirer de la liste : " + describe(record));
        drop.addEventListener("click", function () {
          remove(record.cle).then(render).then(function () { say("Signalement retiré de la liste d'attente."); sendButton.focus(); });
        });
        item.appendChild(drop);
        pendingList.appendChild(item);
      });
      return records;
    });
  }

  // --- Keeping a report written offline ---------------------------------------------------------
  function missing() {
    var errors = [];
    if (isNaN(parseFloat(form.elements.lat.value)) || isNaN(parseFloat(form.elements.lon.value))) {
      errors.push("Placez le repère sur la carte (ou saisissez les coordonnées).");
    }
    if (!form.querySelector("input[name=categorie]:checked")) { errors.push("Choisissez une catégorie."); }
    if (!form.elements.description.value.trim()) { errors.push("Décrivez le problème en quelques mots."); }
    return errors;
  }

  function keep() {
    var errors = missing();
    if (errors.length) { showError("Le signalement n'est pas encore complet : " + errors.join(" ")); return; }
    showError("");
    var key = newKey();
    var record = { cle: key, cree_le: Date.now(), compte: root.dataset.compte || "", champs: [], photos: [], erreur: "", bloque: "" };
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (value instanceof File) {
        // An empty file input still sends a nameless empty part.
        if (value.size) { record.photos.push({ champ: name, nom: value.name, blob: new Blob([value], { type: value.type }) }); }
        return;
      }
      record.champs.push([name, name === "idempotency_key" ? key : value]);
    });
    var checked = form.querySelector("input[name=categorie]:checked");
    var text = form.elements.description.value.trim();
    record.resume = {
      categorie: checked.closest(".choice").dataset.nom,
      description: text.length > 60 ? text.slice(0, 60) + "…" : text,
    };
    save(record).then(render).then(function (records) {
      // Ready for the next report at the same place: the position and the category stay.
      form.elements.description.value = "";
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) { input.value = ""; });
      form.elements.idempotency_key.value = newKey();
      say("Signalement gardé sur cet appareil (" + records.length + " en attente d'envoi). " +
        "Il partira automatiquement dès le retour du réseau.");
      message.focus();
    }).catch(function () {
      showError("Impossible de garder ce signalement sur cet appareil (espace de stockage plein ou refusé).");
    });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { return; }
    event.preventDefault();
    keep();
  });

  // --- Sending when the network is back ---------------------------------------------------------
  function currentSession() {
    return fetch(root.dataset.sessionUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("session"); }
        return response.json();
      });
  }

  function reply(response) {
    var type = response.headers.get("Content-Type") || "";
    var retryAfter = parseInt(response.headers.get("Retry-After"), 10) || 0;
    if (type.indexOf("application/json") === -1) { return Promise.resolve({ status: response.status, body: {}, retryAfter: retryAfter }); }
    return response.json().then(function (body) { return { status: response.status, body: body, retryAfter: retryAfter }; });
  }

  // Resolves to false when the others should wait too (limit reached, session refused).
  function sendOne(record, session) {
    if (record.compte && String(session.compte || "") !== record.compte) {
      record.bloque = "Rédigé avec un compte qui n'est plus connecté ici : connectez-vous avec ce compte, " +
        "puis revenez sur cette page pour l'envoyer.";
      record.connexion = true;
      return save(record).then(function () { return true; });
    }
    var body = new FormData();
    record.champs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    record.photos.forEach(function (photo) { body.append(photo.champ, photo.blob, photo.nom); });
    body.append("csrfmiddlewaretoken", session.csrf_token);
    return fetch(root.dataset.envoiUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": session.csrf_token },
    }).then(reply).then(function (result) {
      if (result.status === 201) {
        return remove(record.cle).then(function () { announceSent(result.body); return true; });
      }
      if (result.status === 400 || result.status === 422) {
        record.erreur = result.body.message || "le serveur a refusé ce signalement.";
        refused += 1;
        return save(record).then(function () { return true; });
      }
      record.bloque = result.status === 429 && result.body.message ? result.body.message
        : "Envoi refusé pour l'instant (code " + result.status + ") : nouvel essai au prochain retour du réseau.";
      // Every attempt counts against the filing limit: none before the server's Retry-After.
      record.pas_avant = Date.now() + result.retryAfter * 1000;
      return save(record).then(function () { return false; });
    });
  }

  var sentLinks = [];
  var refused = 0;
  function announceSent(report) {
    sentLinks.push(report);
    message.textContent = "";
    message.appendChild(document.createTextNode(sentLinks.length > 1 ? "Signalements envoyés : " : "Signalement envoyé : "));
    sentLinks.forEach(function (sent, index) {
      if (index) { message.appendChild(document.createTextNode(", ")); }
      var link = document.createElement("a");
      link.href = sent.tracking_url;
      link.textContent = sent.reference;
      message.appendChild(link);
    });
    message.appendChild(document.createTextNode(". Le lien de chacun permet de suivre son traitement."));
  }

  function sendPending() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    refused = 0;
    var run = function () {
      return allPending().then(function (records) {
        var now = Date.now();
        var waiting = records.filter(function (record) { return !record.erreur && !(record.pas_avant > now); });
        if (!waiting.length) { return; }
        return currentSession().then(function (session) {
          return waiting.reduce(function (chain, record) {
            return chain.then(function (goOn) { return goOn ? sendOne(record, session) : false; });
          }, Promise.resolve(true));
        });
      });
    };
    // One tab at a time sends: two open pages must not race on the same list.
    var done = navigator.locks ? navigator.locks.request("signalements-hors-ligne", run) : run();
    return done.catch(function () {
      say("Le réseau ne répond pas encore : les signalements restent en attente sur cet appareil.");
    }).then(function () {
      sending = false;
      if (refused) {
        if (!sentLinks.length) { say(""); }  // « gardé sur cet appareil » is no longer the news
        showError((refused > 1 ? refused + " signalements ont été refusés" : "Un signalement a été refusé") +
          " à l'envoi : la raison est indiquée dans la liste « En attente d'envoi ». Déposez-le à nouveau " +
          "en tenant compte de cette raison, puis retirez-le de la liste.", true);
      }
      return render();
    });
  }

  sendButton.addEventListener("click", function () {
    if (!navigator.onLine) { say("Toujours hors ligne : l'envoi se fera dès le retour du réseau."); return; }
    sendPending();
  });
  window.addEventListener("online", function () { showConnection(); sendPending(); });
  window.addEventListener("offline", showConnection);
  // « online » only says a network is there, not that the portal answers (a hotspot's login page):
  // what still waits is tried again every minute.
  setInterval(function () { if (pendingCount.textContent !== "0") { sendPending(); } }, 60000);
  showConnection();
  render().then(sendPending);
})();
