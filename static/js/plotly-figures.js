// Draws the Plotly figures a page's server built: a JSON data block (json_script) named by this
// script's data-figures attribute, one figure per [data-figure] element (no inline script, CSP).
(function () {
  "use strict";
  var script = document.currentScript;
  var block = script && document.getElementById(script.dataset.figures);
  if (!block || !window.Plotly) { return; }
  var figures = JSON.parse(block.textContent);
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var figure = figures[el.dataset.figure];
    if (!figure) { return; }
    window.Plotly.newPlot(el, figure.data, figure.layout, { displayModeBar: false, responsive: true })
      .then(function () { el.dataset.rendered = "true"; });
  });
})();
