// Back office transition form: a response template fills the note (texts resolved by the server),
// the list keeps the templates meant for the chosen status, and the planned date shows only for
// « planifié ». Without this script the server does the same when the form is sent.
(function () {
  "use strict";

  var data = document.getElementById("modeles-reponse");
  var form = document.getElementById("id_to_status") && document.getElementById("id_to_status").form;
  if (!data || !form) { return; }
  var texts = JSON.parse(data.textContent);
  var status = document.getElementById("id_to_status");
  var modele = document.getElementById("id_modele");
  var note = document.getElementById("id_note");
  var date = document.getElementById("id_date_intervention_prevue");
  var say = document.getElementById("modele-statut");
  var filled = "";

  function fieldOf(input) { return input ? input.closest(".field") : null; }

  function showDate() {
    var field = fieldOf(date);
    if (field) { field.hidden = status.value !== "planifie" && !field.classList.contains("field-error"); }
  }

  function filterTemplates() {
    if (!modele) { return; }
    var offered = 0;
    Array.prototype.forEach.call(modele.options, function (option) {
      var entry = texts[option.value];
      if (!entry) { return; }
      var fits = !entry.statut || entry.statut === status.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits) { offered += 1; }
    });
    if (modele.selectedOptions.length && modele.selectedOptions[0].disabled) { modele.value = ""; }
    fieldOf(modele).hidden = offered === 0;
  }

  function fillNote() {
    var entry = texts[modele.value];
    if (!entry) { return; }
    // A note the agent has typed is replaced only if it is still the previous template's text.
    if (note.value.trim() && note.value !== filled) {
      if (!window.confirm("Remplacer la note déjà saisie par le texte du modèle ?")) { return; }
    }
    note.value = entry.texte;
    filled = entry.texte;
    say.textContent = "La note est remplie avec le modèle « " + modele.selectedOptions[0].textContent +
      " ». Vous pouvez la modifier avant d'enregistrer." +
      (entry.texte.indexOf("{date_prevue}") >= 0 ? " {date_prevue} sera remplacé par la date prévue à l'enregistrement." : "");
  }

  // The message belongs next to the list that causes it.
  if (modele && say) { fieldOf(modele).after(say); }
  status.addEventListener("change", function () { showDate(); filterTemplates(); });
  if (modele) { modele.addEventListener("change", fillNote); }
  showDate();
  filterTemplates();
})();
