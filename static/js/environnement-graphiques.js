// Environnement dashboard: draws the Plotly figures built by the server (a JSON data block, no inline script).
(function () {
  "use strict";
  var block = document.getElementById("environnement-figures");
  if (!block || !window.Plotly) { return; }
  var figures = JSON.parse(block.textContent);
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var figure = figures[el.dataset.figure];
    if (!figure) { return; }
    window.Plotly.newPlot(el, figure.data, figure.layout, { displayModeBar: false, responsive: true })
      .then(function () { el.dataset.rendered = "true"; });
  });
})();
