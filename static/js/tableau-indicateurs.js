// Charts of the indicator pages (dashboard, portrait, comparison): the server builds the Plotly
// figures and puts them in a JSON block (no inline script, CSP); this file only draws them.
// Each chart can be saved as a PNG, from plotly's toolbar or from the button under it; a chart
// tied to a list (data-select) shows the figure of the indicator chosen in that list.
(function () {
  "use strict";
  var block = document.getElementById("figures-indicateurs");
  if (!block || !window.Plotly) { return; }
  var figures = JSON.parse(block.textContent);

  window.Plotly.register({
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Download plot as a png": "Télécharger le graphique en PNG",
      "Download plot": "Télécharger le graphique",
      "Taking snapshot - this may take a few seconds": "Création de l'image…",
      "Snapshot succeeded": "Image créée",
      "Sorry, there was a problem downloading your snapshot!": "L'image n'a pas pu être créée.",
      "Double-click to zoom back out": "Double-cliquez pour revenir à l'échelle initiale",
    },
    format: { decimal: ",", thousands: "\u202f" },
  });

  function config(el) {
    return {
      locale: "fr",
      responsive: true,
      displaylogo: false,
      modeBarButtons: [["toImage"]],
      toImageButtonOptions: { format: "png", filename: el.dataset.filename, scale: 2 },
    };
  }

  function draw(el, figure) {
    el.dataset.rendered = "false";
    return window.Plotly.react(el, figure.data, figure.layout, config(el)).then(function () {
      el.dataset.rendered = "true";
    });
  }

  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var select = el.dataset.select && document.getElementById(el.dataset.select);
    if (select) {
      var show = function () {
        var figure = figures[select.value];
        el.dataset.figure = select.value;
        el.dataset.filename = el.dataset.filenamePrefix + select.value;
        if (figure) { draw(el, figure); } else { window.Plotly.purge(el); }
      };
      select.addEventListener("change", show);
      show();
    } else if (figures[el.dataset.figure]) {
      draw(el, figures[el.dataset.figure]);
    }
  });

  document.querySelectorAll("[data-png-for]").forEach(function (button) {
    var el = document.getElementById(button.dataset.pngFor);
    if (!el) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (el.dataset.rendered !== "true") { return; }
      window.Plotly.downloadImage(el, {
        format: "png", filename: el.dataset.filename, scale: 2, width: el.clientWidth, height: el.clientHeight,
      });
    });
  });
})();
