// The chosen category's questions on the filing form: only its group is shown and sent, and a
// blocking answer says at once where to turn instead and stops the sending (the server checks
// the same answers again: this is only the early warning).
(function () {
  "use strict";
  var form = document.getElementById("form-signalement");
  var box = document.getElementById("questions");
  if (!form || !box) { return; }
  var groups = Array.prototype.slice.call(box.querySelectorAll(".questions-categorie"));
  var submit = form.querySelector("button[type=submit]");
  var sendStatus = document.getElementById("envoi-bloque");
  box.classList.add("questions-dynamiques");

  function chosenCode() {
    var checked = form.querySelector("input[name=categorie]:checked");
    return checked ? checked.closest(".choice").dataset.code : null;
  }

  function blockingMessage(question) {
    var checked = Array.prototype.slice.call(question.querySelectorAll("input:checked"));
    var items = Array.prototype.slice.call(question.querySelectorAll(".question-blocages li"));
    for (var i = 0; i < checked.length; i++) {
      for (var j = 0; j < items.length; j++) {
        if (items[j].dataset.valeur === checked[i].value) { return items[j].textContent; }
      }
    }
    return "";
  }

  // The live region keeps its node while the message is the same: no repeated announcement.
  function showAlert(question, message) {
    var region = question.querySelector(".question-alerte");
    if (region.dataset.message === message) { return; }
    region.dataset.message = message;
    region.textContent = "";
    if (message) {
      var notice = document.createElement("p");
      notice.className = "notice notice-error";
      notice.textContent = message;
      region.appendChild(notice);
    }
  }

  function refresh() {
    var code = chosenCode();
    var blocked = "";
    groups.forEach(function (group) {
      var active = group.dataset.categorie === code;
      group.hidden = !active;
      // A disabled fieldset's fields are not sent: only the chosen category's answers are.
      group.disabled = !active;
      group.querySelectorAll("fieldset.question").forEach(function (question) {
        var message = active ? blockingMessage(question) : "";
        showAlert(question, message);
        blocked = blocked || message;
      });
    });
    submit.disabled = Boolean(blocked);
    sendStatus.textContent = blocked ? "Ce signalement ne peut pas être envoyé ici : suivez la consigne ci-dessus." : "";
  }

  form.addEventListener("change", refresh);
  // signaler.js unchecks a category closed where the pin moves, without a change event.
  form.addEventListener("categories-actualisees", refresh);
  refresh();
})();
