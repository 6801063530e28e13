// The call screen: the place map (Leaflet on a plain background: the force's own LSOA centroids
// and neighbourhood names, no tiles from anywhere), repeatable witness and suspect rows, and
// the identification panel's keys. Everything here has a way to work without it: latitude and
// longitude can be typed, and "Add another" / "Remove" post the form back without saving.
(function () {
  "use strict";

  // ----- The map ---------------------------------------------------------------------------
  // The view opens on where most areas are (the 5th to 95th percentile of the centroids), so
  // a few outlying rural areas do not shrink the town to a dot; they are still drawn.
  function coreBounds(features) {
    var lats = [], lons = [];
    features.forEach(function (f) {
      if (f.properties.kind === "lsoa") {
        lons.push(f.geometry.coordinates[0]);
        lats.push(f.geometry.coordinates[1]);
      }
    });
    if (!lats.length) { return null; }
    var num = function (a, b) { return a - b; };
    lats.sort(num);
    lons.sort(num);
    var at = function (list, q) { return list[Math.min(list.length - 1, Math.floor(q * list.length))]; };
    return L.latLngBounds([at(lats, 0.05), at(lons, 0.05)], [at(lats, 0.95), at(lons, 0.95)]);
  }

  function setUpMap(element) {
    var latInput = document.getElementById("place_latitude");
    var lonInput = document.getElementById("place_longitude");
    var map = L.map(element, { zoomSnap: 0.25, keyboard: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("LSOA centroids: ONS, Open Government Licence v3.0");
    var marker = null;
    var labels = L.layerGroup();

    function show(latlng) {
      if (marker) { marker.setLatLng(latlng); return; }
      marker = L.circleMarker(latlng, { radius: 9, color: "#d4351c", weight: 3,
                                        fillColor: "#ffffff", fillOpacity: 0.9 }).addTo(map);
      marker.bindTooltip("The place of the incident");
    }
    function choose(latlng) {
      show(latlng);
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));  // resolve it (htmx)
    }
    function typed() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        show([lat, lon]);
        map.panTo([lat, lon]);
      }
    }
    map.on("click", function (event) { choose(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === element) {
        event.preventDefault();
        choose(map.getCenter());
      }
    });
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
    var cross = document.createElement("div");
    cross.className = "call-map__cross";
    cross.setAttribute("aria-hidden", "true");
    element.appendChild(cross);

    // Neighbourhood names: as many as fit without overlapping, redrawn as the view changes.
    var neighbourhoods = [];
    function placeLabels() {
      labels.clearLayers();
      var size = map.getSize(), kept = [];
      neighbourhoods.forEach(function (n) {
        var p = map.latLngToContainerPoint(n.latlng);
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { return; }
        var half = n.name.length * 4.6 + 6;  // about half the label's width, in pixels
        for (var i = 0; i < kept.length; i++) {
          if (Math.abs(kept[i].x - p.x) < kept[i].half + half &&
              Math.abs(kept[i].y - p.y) < 20) { return; }
        }
        kept.push({ x: p.x, y: p.y, half: half });
        var name = document.createElement("span");
        name.textContent = n.name;  // text, never markup
        L.marker(n.latlng, { interactive: false, keyboard: false,
                             icon: L.divIcon({ className: "call-map__label", html: name,
                                               iconSize: null }) }).addTo(labels);
      });
    }
    labels.addTo(map);
    map.on("moveend", placeLabels);
    fetch(element.getAttribute("data-areas"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (areas) {
        var points = L.featureGroup();
        areas.features.forEach(function (f) {
          var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          if (f.properties.kind === "lsoa") {
            var tip = document.createElement("span");
            tip.textContent = f.properties.name + (f.properties.neighbourhood
              ? " — " + f.properties.neighbourhood : "");
            L.circleMarker(latlng, { radius: 3, weight: 1, color: "#505a5f", fillOpacity: 0.5 })
              .bindTooltip(tip).addTo(points);
          } else {
            neighbourhoods.push({ latlng: L.latLng(latlng), name: f.properties.name });
          }
        });
        points.addTo(map);
        map.invalidateSize();
        var bounds = coreBounds(areas.features);
        if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
        else { map.setView([52.63, -1.13], 10); }
        placeLabels();
        typed();
      })
      .catch(function () { map.setView([52.63, -1.13], 10); });

    // A postcode or address that resolves to a known point moves the map there.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id !== "place-found") { return; }
      var found = event.detail.target.querySelector(".call-place__result");
      if (found && found.getAttribute("data-lat") && !found.hasAttribute("data-from-point")) {
        map.setView([parseFloat(found.getAttribute("data-lat")),
                     parseFloat(found.getAttribute("data-lon"))], Math.max(map.getZoom(), 14));
      }
    });
  }

  // ----- Witness and suspect rows ----------------------------------------------------------
  function renumber(rows) {
    var group = rows.getAttribute("data-group");
    var word = group === "witnesses" ? "Witness" : "Suspect";
    var pattern = new RegExp("^" + group + "\\.\\d+\\.");
    var count = rows.querySelectorAll(".call-person").length;
    Array.prototype.forEach.call(rows.querySelectorAll(".call-person"), function (row, i) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(pattern, group + "." + i + ".")); }
        });
        var described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(function (id) {
            return id.replace(pattern, group + "." + i + ".");
          }).join(" "));
        }
      });
      row.querySelector("legend").textContent = word + " " + (i + 1);
      var remove = row.querySelector(".call-person__remove");
      remove.value = group + "." + i;
      remove.textContent = "Remove " + word.toLowerCase() + " " + (i + 1);
      remove.hidden = count === 1;  // a single row is simply left blank
    });
  }

  function setUpRows() {
    document.querySelectorAll(".call-people__add").forEach(function (add) {
      add.addEventListener("click", function (event) {
        var group = add.getAttribute("data-group");
        var rows = document.querySelector('.call-people__rows[data-group="' + group + '"]');
        var template = document.getElementById(group + "-template");
        if (!rows || !template) { return; }  // the server adds the row instead
        event.preventDefault();
        if (rows.querySelectorAll(".call-person").length >= 20) { return; }
        rows.appendChild(template.content.cloneNode(true));
        renumber(rows);
        var added = rows.querySelectorAll(".call-person");
        added[added.length - 1].querySelector("input, textarea").focus();
      });
    });
    document.addEventListener("click", function (event) {
      var remove = event.target.closest && event.target.closest(".call-person__remove");
      if (!remove) { return; }
      var rows = remove.closest(".call-people__rows");
      event.preventDefault();
      var row = remove.closest(".call-person");
      if (rows.querySelectorAll(".call-person").length === 1) {
        row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; });
        row.querySelector("input").focus();
        return;
      }
      row.remove();
      renumber(rows);
      rows.parentNode.querySelector(".call-people__add").focus();
    });
  }

  // ----- The identification panel's keys -----------------------------------------------------
  // Alt+I jumps to the panel; with focus in it, Alt+Y confirms and Alt+N rejects the first
  // possible match. Alt is needed so that nothing fires while typing; physical key codes keep
  // the keys the same on every keyboard layout.
  function setUpKeys() {
    var panel = document.getElementById("call-panel");
    if (!panel) { return; }
    var refocus = false;
    document.addEventListener("keydown", function (event) {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      if (event.code === "KeyI") {
        event.preventDefault();
        panel.focus();
      } else if ((event.code === "KeyY" || event.code === "KeyN") &&
                 panel.contains(document.activeElement)) {
        var verdict = event.code === "KeyY" ? "same" : "different";
        var button = panel.querySelector('.identify-verdict [data-verdict="' + verdict + '"]');
        if (button) {
          event.preventDefault();
          button.click();
        }
      }
    });
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (panel.contains(event.detail.elt)) { refocus = true; }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (refocus && event.detail.target.id === "identify-results") {
        refocus = false;
        panel.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("call-map");
    if (element && window.L) { setUpMap(element); }
    setUpRows();
    setUpKeys();
  });
})();
