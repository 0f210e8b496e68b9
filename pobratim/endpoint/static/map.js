// Draw a town and its twins on a world map (SVG), from the JSON block the page carries and the Natural
// Earth countries served by this server. Without JavaScript the page keeps the table of twins.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 960;
  var HEIGHT = 500;

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function titled(node, text) {
    var title = el("title");
    title.textContent = text;
    node.appendChild(title);
    return node;
  }

  function decadeClass(decade) {
    return "decade-" + (decade || "unknown");
  }

  function draw(figure, data, world) {
    var projection = d3.geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, role: "img", "aria-label": figure.dataset.label });
    svg.appendChild(el("path", { d: path({ type: "Sphere" }), "class": "sphere" }));
    topojson.feature(world, world.objects.countries).features.forEach(function (country) {
      svg.appendChild(el("path", { d: path(country), "class": "country" }));
    });
    var home = [data.town.long, data.town.lat];
    var links = el("g", { "class": "links" });
    var marks = el("g", { "class": "twins" });
    data.twins.forEach(function (twin) {
      var there = [twin.long, twin.lat];
      // A great-circle arc: the shortest way between the towns, as the projection bends it.
      links.appendChild(el("path", {
        d: path({ type: "LineString", coordinates: [home, there] }),
        "class": "link " + decadeClass(twin.decade)
      }));
      var xy = projection(there);
      var link = el("a", { href: twin.href });
      link.appendChild(titled(el("circle", {
        cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 4,
        "class": "twin " + decadeClass(twin.decade), "data-iri": twin.iri
      }), twin.label + (twin.decade ? " · " + twin.decade : "")));
      marks.appendChild(link);
    });
    svg.appendChild(links);
    svg.appendChild(marks);
    var at = projection(home);
    svg.appendChild(titled(el("circle", {
      cx: at[0].toFixed(1), cy: at[1].toFixed(1), r: 6, "class": "town", "data-iri": data.town.iri
    }), data.town.label));
    figure.insertBefore(svg, figure.firstChild);
    figure.classList.add("drawn");
  }

  function start() {
    var figure = document.getElementById("twin-map");
    var block = document.getElementById("twin-map-data");
    if (!figure || !block || !window.d3 || !window.topojson) {
      return;
    }
    var data = JSON.parse(block.textContent);
    fetch(figure.dataset.atlas)
      .then(function (response) { return response.json(); })
      .then(function (world) { draw(figure, data, world); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
