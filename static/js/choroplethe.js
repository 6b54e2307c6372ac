// Choropleth of an indicator: the server gives the values and the class edges (mapclassify).
// On the dashboard, changing the method or the number of classes redraws the map at once
// (data-methode-field / data-classes-field name those lists); the form still works without JS.
(function () {
  "use strict";
  var el = document.getElementById("carte-indicateur");
  if (!el || !window.L || !window.Observatoire) { return; }
  // Sequential blues (ColorBrewer), light to dark; grey for communes without a value.
  var PALETTE = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"];
  var NO_DATA = "#d9d9d9";
  // Same precision as the page's tables (observatoire/indicateurs/formats.py): whole numbers from
  // 100 up, otherwise at most two decimals; the minus sign, never a hyphen; no « −0 ».
  var whole = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  var decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
  var formatter = {
    format: function (value) {
      var text = (Math.abs(value) >= 100 ? whole : decimal).format(value);
      return /^-0(,0+)?$/.test(text) ? "0" : text.replace("-", "\u2212");
    }
  };
  var statusEl = document.getElementById("carte-indicateur-statut");
  var legendEl = document.getElementById("legende");
  var map = window.Observatoire.baseMap(el, { scrollWheelZoom: false });
  var layer = null;
  var fitted = false;

  function classOf(value, edges) {
    for (var i = 1; i < edges.length; i++) { if (value <= edges[i]) { return i - 1; } }
    return edges.length - 2;
  }

  function colours(n) {
    var step = (PALETTE.length - 1) / Math.max(1, n - 1);
    var out = [];
    for (var i = 0; i < n; i++) { out.push(PALETTE[Math.round(i * step)]); }
    return out;
  }

  function drawLegend(edges, palette, counts) {
    var unit = el.dataset.unite ? "\u00a0" + el.dataset.unite : "";
    legendEl.textContent = "";
    for (var i = 0; i + 1 < edges.length; i++) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "legende-couleur";
      swatch.style.background = palette[i];
      item.append(swatch, document.createTextNode(
        // The unit after the upper bound: "5 – 6,7 %", "3 000 – 3 500 €/m²".
        formatter.format(edges[i]) + " – " + formatter.format(edges[i + 1]) + unit +
        " (" + counts[i] + (counts[i] > 1 ? " communes)" : " commune)")));
      legendEl.appendChild(item);
    }
  }

  function draw(data) {
    var edges = data.bornes;
    var palette = colours(Math.max(1, edges.length - 1));
    var counts = palette.map(function () { return 0; });
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(data, {
      style: function (feature) {
        var value = feature.properties.valeur;
        var chosen = feature.properties.insee === el.dataset.highlight;
        if (value === null || edges.length < 2) { return { color: "#555", weight: 1, fillColor: NO_DATA, fillOpacity: 0.7 }; }
        var k = classOf(value, edges);
        counts[k] += 1;
        return { color: chosen ? "#d55e00" : "#1d3c78", weight: chosen ? 4 : 1, fillColor: palette[k], fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var text = p.nom + " : " + (p.valeur === null ? "pas de valeur" : formatter.format(p.valeur) + " " + el.dataset.unite);
        shape.bindTooltip(window.Observatoire.textLabel(text), { sticky: true });
      },
    }).addTo(map);
    if (!fitted) { map.fitBounds(layer.getBounds()); fitted = true; }
    drawLegend(edges, palette, counts);
    el.dataset.classes = String(edges.length - 1);
    statusEl.textContent = data.features.length + " communes, millésime " + data.millesime + ".";
  }

  function load(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(draw)
      .catch(function () { statusEl.textContent = "La carte n'a pas pu être chargée ; le tableau reste disponible."; });
  }

  load(el.dataset.geojsonUrl);

  var methode = el.dataset.methodeField && document.getElementById(el.dataset.methodeField);
  var classes = el.dataset.classesField && document.getElementById(el.dataset.classesField);
  if (methode && classes) {
    var redraw = function () {
      var url = new URL(el.dataset.geojsonUrl, window.location.href);
      url.searchParams.set("methode", methode.value);
      url.searchParams.set("classes", classes.value);
      statusEl.textContent = "Calcul des classes…";
      // The other filters keep the chosen classes when they reload the page.
      document.querySelectorAll("input[type=hidden][name=methode]").forEach(function (input) { input.value = methode.value; });
      document.querySelectorAll("input[type=hidden][name=classes]").forEach(function (input) { input.value = classes.value; });
      load(url.toString());
    };
    methode.addEventListener("change", redraw);
    classes.addEventListener("change", redraw);
  }
})();
