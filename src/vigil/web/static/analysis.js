// The analyst's page: follow a run's progress, then draw the map with Leaflet on a plain
// background (no tiles are fetched from anywhere).
(function () {
  "use strict";

  function followProgress(section) {
    var url = section.getAttribute("data-status-url");
    var step = document.getElementById("analysis-step");
    var bar = document.getElementById("analysis-bar");
    function poll() {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          step.textContent = status.step;
          bar.value = status.fraction;
          if (status.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }

  function colour(count, max) {
    var t = Math.sqrt(count / max);
    var light = Math.round(90 - 55 * t);
    return "hsl(215, 70%, " + light + "%)";
  }

  function drawMap(element) {
    var map = L.map(element, { preferCanvas: true, attributionControl: true, zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(
      "Contains public sector information licensed under the Open Government Licence v3.0 " +
      "(data.police.uk); ONS, OGL v3.0");
    var get = function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    };
    Promise.all([get(element.getAttribute("data-hotspots")),
                 get(element.getAttribute("data-lsoas"))]).then(function (layers) {
      var cells = layers[0], lsoas = layers[1];
      var max = 1;
      cells.features.forEach(function (f) { max = Math.max(max, f.properties.count); });
      var cellLayer = L.geoJSON(cells, {
        style: function (f) {
          return { weight: f.properties.hot ? 1.5 : 0, color: "#d4351c",
                   fillColor: colour(f.properties.count, max), fillOpacity: 0.8 };
        },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.count + " incidents; Gi* z " +
                            f.properties.z.toFixed(2) + (f.properties.hot ? " (hot spot)" : ""));
        }
      }).addTo(map);
      var pointLayer = L.geoJSON(lsoas, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 3, weight: 1, color: "#505a5f",
                                          fillOpacity: 0.6 });
        },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.name + ": " + f.properties.incidents +
                            " incidents, population " + f.properties.population);
        }
      }).addTo(map);
      L.control.layers(null, { "Grid cells and hot spots": cellLayer,
                               "LSOA centroids": pointLayer }).addTo(map);
      var bounds = L.latLngBounds([]);
      [cellLayer, pointLayer].forEach(function (layer) {
        var b = layer.getBounds();
        if (b.isValid()) { bounds.extend(b); }
      });
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
      else { map.setView([52.63, -1.13], 10); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var progress = document.getElementById("analysis-progress");
    if (progress) { followProgress(progress); }
    var element = document.getElementById("analysis-map");
    if (element && window.L) { drawMap(element); }
  });
})();
