// Back-office maps: the reports of a queue page, or one report whose pin may be moved.
(function () {
  "use strict";
  if (!window.L) { return; }

  var baseMap = window.Observatoire.baseMap;

  var queueEl = document.getElementById("carte-file");
  if (queueEl) {
    var map = baseMap(queueEl);
    var points = JSON.parse(document.getElementById("points-file").textContent);
    var markers = points.map(function (p) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.label;
      return L.marker([p.lat, p.lon], { title: p.label }).bindPopup(link);
    });
    if (markers.length) {
      var group = L.featureGroup(markers).addTo(map);
      map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 16 });
    }
  }

  var detailEl = document.getElementById("carte-detail");
  if (detailEl) {
    var detailMap = baseMap(detailEl);
    var latlng = [parseFloat(detailEl.dataset.lat), parseFloat(detailEl.dataset.lon)];
    var draggable = detailEl.dataset.draggable === "true";
    var marker = L.marker(latlng, {
      draggable: draggable, title: "Emplacement du signalement",
      alt: draggable ? "Repère du signalement (les flèches le déplacent)" : "Emplacement du signalement",
    }).addTo(detailMap);
    detailMap.setView(latlng, 17);
    if (draggable) {
      var moveTo = function (position) {
        marker.setLatLng(position);
        document.getElementById("id_lat").value = position.lat.toFixed(6);
        document.getElementById("id_lon").value = position.lng.toFixed(6);
      };
      marker.on("dragend", function () { moveTo(marker.getLatLng()); });
      // Without a mouse: arrows move the focused pin, or Enter on the map brings it to the centre.
      window.Observatoire.nudgeWithKeys(detailMap, marker, moveTo);
      window.Observatoire.keyboardPlacement(detailMap, moveTo);
    }
  }
})();
