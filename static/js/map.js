/* Practice map: pins at region label points, clustered, drawn as SVG.
 *
 * Needs no external service: country outlines come from a static file
 * (Natural Earth, public domain); a tile layer is drawn underneath only when
 * the site sets MAP_TILE_URL. Markup and data come from
 * templates/includes/_map.html (json_script, no inline script).
 * Coordinates: Web Mercator scaled so that x is the longitude in degrees and
 * the whole world is 360 units square; tiles then map one to one.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var CLUSTER_PX = 34;
  var MIN_SPAN = 12; // degrees shown at least, so one pin is not a close-up
  var MAX_SCALE = 600; // px per unit; about NUTS 3 detail
  var outlinePromise = null;

  function worldY(lat) {
    var r = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
    return (-Math.log(Math.tan(Math.PI / 4 + r / 2)) * 180) / Math.PI;
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (parent) parent.appendChild(node);
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function loadOutline(url) {
    if (!outlinePromise) {
      outlinePromise = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    }
    return outlinePromise;
  }

  function commonRegion(members) {
    // The deepest region whose path every member's path starts with.
    var first = members[0].path.split("/").filter(Boolean);
    var depth = first.length;
    members.forEach(function (m) {
      var parts = m.path.split("/").filter(Boolean);
      var d = 0;
      while (d < depth && d < parts.length && parts[d] === first[d]) d++;
      depth = d;
    });
    return depth ? first[depth - 1] : null;
  }

  function initMap(container) {
    if (container.dataset.mapReady) return;
    container.dataset.mapReady = "1";
    var points = JSON.parse(document.getElementById(container.dataset.points).textContent);
    var config = JSON.parse(document.getElementById(container.dataset.config).textContent);
    var labels = config.labels;
    var listUrl = container.dataset.listUrl || "";
    points.forEach(function (p) {
      p.x = p.lon;
      p.y = worldY(p.lat);
    });

    // Toolbar
    var toolbar = document.createElement("div");
    toolbar.className = "map-toolbar";
    function button(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "map-button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", onClick);
      toolbar.appendChild(b);
      return b;
    }

    var svg = el("svg", {
      class: "map-svg",
      role: "group",
      tabindex: "0",
      "aria-labelledby": container.dataset.caption,
      "aria-describedby": container.dataset.help + " " + container.id + "-keys",
    });
    var keys = document.createElement("p");
    keys.id = container.id + "-keys";
    keys.className = "visually-hidden";
    keys.textContent = labels.help;
    var tileLayer = el("g", { class: "map-tiles" }, svg);
    var land = el("g", { class: "map-land" }, svg);
    var areas = el("g", { class: "map-land map-areas" }, svg);
    var pins = el("g", { class: "map-pins" }, svg);
    container.appendChild(toolbar);
    container.appendChild(svg);
    container.appendChild(keys);

    var view = { cx: 0, cy: 0, scale: 1, width: 0, height: 0 };
    var home = null;

    function fit() {
      var xs = points.map(function (p) { return p.x; });
      var ys = points.map(function (p) { return p.y; });
      var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
      var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
      var spanX = Math.max(maxX - minX, MIN_SPAN) * 1.25;
      var spanY = Math.max(maxY - minY, MIN_SPAN * 0.7) * 1.3;
      view.cx = (minX + maxX) / 2;
      view.cy = (minY + maxY) / 2;
      view.scale = Math.min(view.width / spanX, view.height / spanY, MAX_SCALE);
      home = { cx: view.cx, cy: view.cy, scale: view.scale };
    }

    function toScreen(x, y) {
      return [(x - view.cx) * view.scale + view.width / 2, (y - view.cy) * view.scale + view.height / 2];
    }

    function drawLand(outline) {
      if (!outline) return;
      // Country outlines are coarse: two decimals are enough for them.
      var paths = outline.countries.map(function (rings) { return ringsPath(rings, 2); });
      paths.forEach(function (d) {
        el("path", { d: d, class: "map-country", "vector-effect": "non-scaling-stroke" }, land);
      });
      placeLand();
    }

    function placeLand() {
      var t = "translate(" + (view.width / 2 - view.cx * view.scale) + " " +
        (view.height / 2 - view.cy * view.scale) + ") scale(" + view.scale + ")";
      land.setAttribute("transform", t);
      areas.setAttribute("transform", t);
    }

    function ringsPath(rings, digits) {
      // An SVG path of closed rings of [x, latitude] points.
      return rings
        .map(function (ring) {
          return "M" + ring.map(function (c) {
            return c[0].toFixed(digits) + "," + worldY(c[1]).toFixed(digits);
          }).join("L") + "Z";
        })
        .join("");
    }

    function drawAreas() {
      // Region outlines (GeoJSON Polygon or MultiPolygon) given by the page.
      if (!container.dataset.outlines) return;
      var geometries = JSON.parse(document.getElementById(container.dataset.outlines).textContent);
      geometries.forEach(function (geometry) {
        if (!geometry || !geometry.coordinates) return;
        var polygons = geometry.type === "MultiPolygon" ? geometry.coordinates
          : geometry.type === "Polygon" ? [geometry.coordinates] : [];
        polygons.forEach(function (polygon) {
          el("path", { d: ringsPath(polygon, 3), class: "map-area", "vector-effect": "non-scaling-stroke" }, areas);
        });
      });
    }

    function drawTiles() {
      while (tileLayer.firstChild) tileLayer.removeChild(tileLayer.firstChild);
      if (!config.tileUrl) return;
      var z = Math.max(0, Math.min(18, Math.round(Math.log2((view.scale * 360) / 256))));
      var n = Math.pow(2, z), size = 360 / n;
      var x0 = view.cx - view.width / 2 / view.scale + 180, x1 = view.cx + view.width / 2 / view.scale + 180;
      var y0 = view.cy - view.height / 2 / view.scale + 180, y1 = view.cy + view.height / 2 / view.scale + 180;
      for (var tx = Math.max(0, Math.floor(x0 / size)); tx <= Math.min(n - 1, Math.floor(x1 / size)); tx++) {
        for (var ty = Math.max(0, Math.floor(y0 / size)); ty <= Math.min(n - 1, Math.floor(y1 / size)); ty++) {
          var p = toScreen(tx * size - 180, ty * size - 180);
          var image = el("image", {
            x: p[0], y: p[1], width: size * view.scale + 0.5, height: size * view.scale + 0.5,
            href: config.tileUrl.replace("{z}", z).replace("{x}", tx).replace("{y}", ty),
          }, tileLayer);
          image.setAttribute("aria-hidden", "true");
        }
      }
    }

    function cluster() {
      var placed = points.map(function (p) {
        var s = toScreen(p.x, p.y);
        return { point: p, sx: s[0], sy: s[1] };
      });
      placed.sort(function (a, b) { return b.point.count - a.point.count; });
      var clusters = [];
      placed.forEach(function (item) {
        var target = null;
        for (var i = 0; i < clusters.length; i++) {
          var c = clusters[i];
          if (Math.abs(c.sx - item.sx) < CLUSTER_PX && Math.abs(c.sy - item.sy) < CLUSTER_PX) {
            target = c;
            break;
          }
        }
        if (target) {
          target.members.push(item.point);
          target.count += item.point.count;
        } else {
          clusters.push({ sx: item.sx, sy: item.sy, members: [item.point], count: item.point.count });
        }
      });
      // West to east, then north to south: the order keyboard users tab through.
      clusters.sort(function (a, b) { return a.sx - b.sx || a.sy - b.sy; });
      return clusters;
    }

    function zoomTo(cx, cy, scale) {
      view.cx = cx;
      view.cy = cy;
      var minScale = Math.min(home.scale, Math.max(view.width / 360, home.scale / 8));
      view.scale = Math.max(minScale, Math.min(MAX_SCALE, scale));
      render();
    }

    function drawPins() {
      while (pins.firstChild) pins.removeChild(pins.firstChild);
      cluster().forEach(function (c) {
        var lead = c.members[0];
        var href, label, zoomOnly = false;
        if (c.members.length === 1) {
          href = lead.url;
          label = lead.count === 1 && lead.title
            ? fill(labels.regionOne, { name: lead.name, count: 1, title: lead.title })
            : fill(labels.region, { name: lead.name, count: lead.count });
        } else {
          var region = commonRegion(c.members);
          label = fill(labels.cluster, { count: c.count, regions: c.members.length, name: lead.name });
          if (region && listUrl) {
            var joiner = /[?&]$/.test(listUrl) ? "" : listUrl.indexOf("?") >= 0 ? "&" : "?";
            href = listUrl + joiner + "region=" + encodeURIComponent(region);
          } else {
            href = "#" + container.id;
            zoomOnly = true;
          }
        }
        var inView = c.sx > -20 && c.sy > -20 && c.sx < view.width + 20 && c.sy < view.height + 20;
        var link = el("a", { href: href, class: "map-pin" + (c.members.length > 1 ? " map-cluster" : ""), "aria-label": label }, pins);
        if (!inView) link.setAttribute("tabindex", "-1");
        // No <title> child: its text would count as the pin's content, which its name must contain.
        var r = 11 + Math.min(14, 3.2 * Math.log2(c.count));
        el("circle", { cx: c.sx.toFixed(1), cy: c.sy.toFixed(1), r: r.toFixed(1) }, link);
        var text = el("text", { x: c.sx.toFixed(1), y: (c.sy + 4).toFixed(1), "text-anchor": "middle" }, link);
        // The whole number, as in the pin's name (WCAG 2.5.3): smaller when long.
        text.textContent = String(c.count);
        if (c.count > 999) text.setAttribute("class", "map-pin-long");
        if (zoomOnly) {
          link.addEventListener("click", function (event) {
            event.preventDefault();
            var xs = c.members.map(function (m) { return m.x; });
            var ys = c.members.map(function (m) { return m.y; });
            zoomTo((Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2,
              (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2, view.scale * 2.5);
            svg.focus();
          });
        }
      });
    }

    function render() {
      view.width = container.clientWidth || 600;
      view.height = Math.round(Math.max(240, Math.min(460, view.width * 0.62)));
      svg.setAttribute("viewBox", "0 0 " + view.width + " " + view.height);
      svg.setAttribute("width", view.width);
      svg.setAttribute("height", view.height);
      if (!home) fit();
      placeLand();
      drawTiles();
      drawPins();
    }

    button("+", labels.zoomIn, function () { zoomTo(view.cx, view.cy, view.scale * 2); });
    button("−", labels.zoomOut, function () { zoomTo(view.cx, view.cy, view.scale / 2); });
    button("⤢", labels.reset, function () { zoomTo(home.cx, home.cy, home.scale); });

    svg.addEventListener("keydown", function (event) {
      if (event.target !== svg) return;
      var step = 80 / view.scale;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[event.key]) {
        event.preventDefault();
        zoomTo(view.cx + moves[event.key][0], view.cy + moves[event.key][1], view.scale);
      } else if (event.key === "+" || event.key === "=") {
        event.preventDefault();
        zoomTo(view.cx, view.cy, view.scale * 2);
      } else if (event.key === "-" || event.key === "_") {
        event.preventDefault();
        zoomTo(view.cx, view.cy, view.scale / 2);
      }
    });

    // Drag to pan; a drag is not a click on the pin under the pointer.
    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, cx: view.cx, cy: view.cy, moved: false };
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.moved) {
        drag.moved = true;
        svg.setPointerCapture(event.pointerId);
      }
      view.cx = drag.cx - dx / view.scale;
      view.cy = drag.cy - dy / view.scale;
      placeLand();
      drawPins();
    });
    function endDrag() {
      if (drag && drag.moved) {
        drawTiles();
        var suppress = function (event) {
          event.preventDefault();
          event.stopPropagation();
        };
        svg.addEventListener("click", suppress, { capture: true, once: true });
        setTimeout(function () { svg.removeEventListener("click", suppress, { capture: true }); }, 0);
      }
      drag = null;
    }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);

    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        var old = view.width;
        render();
        if (old && view.width !== old) {
          home = null;
          render();
        }
      }, 150);
    });

    drawAreas();
    render();
    if (config.outlineUrl) loadOutline(config.outlineUrl).then(drawLand);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), initMap);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
