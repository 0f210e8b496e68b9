// Draw a world map (SVG) from the JSON block the page carries and the Natural Earth countries served by this
// server: a town and its twins (a town's page), or the whole network (the landing page). Without JavaScript
// the page keeps the table of twins, or the counts of the network.
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

  var PAD = 24;  // room around the places framed, for their marks and labels
  var AROUND = 6;  // degrees kept around the first place at least, so one near twin still shows its region

  // What a town's map must show: the town, each twin and the arcs between them, and some region around the town;
  // centred on the town's meridian, so that arcs to the other side of the world are not cut at the map's edge.
  function framed(home, theres) {
    var lines = theres.map(function (there) { return { type: "LineString", coordinates: [home, there] }; });
    var region = [[home[0] - AROUND, home[1] - AROUND], [home[0] + AROUND, home[1] + AROUND]];
    var shape = { type: "GeometryCollection", geometries: lines.concat([{ type: "MultiPoint", coordinates: region }]) };
    return { shape: shape, centre: home };
  }

  // The sphere and the countries, and the projection to draw on them: fitted to ``focus`` where given (the
  // places a town's map shows), else the whole world.
  function frame(figure, world, focus) {
    var projection = focus
      ? d3.geoNaturalEarth1().rotate([-focus.centre[0], 0]).fitExtent([[PAD, PAD], [WIDTH - PAD, HEIGHT - PAD]], focus.shape)
      : d3.geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, role: "img", "aria-label": figure.dataset.label });
    svg.appendChild(el("path", { d: path({ type: "Sphere" }), "class": "sphere" }));
    topojson.feature(world, world.objects.countries).features.forEach(function (country) {
      svg.appendChild(el("path", { d: path(country), "class": "country" }));
    });
    return { svg: svg, projection: projection, path: path };
  }

  // A great-circle arc: the shortest way between two places, as the projection bends it.
  function arc(path, from, to, className) {
    return el("path", { d: path({ type: "LineString", coordinates: [from, to] }), "class": className });
  }

  function done(figure, svg) {
    figure.insertBefore(svg, figure.firstChild);
    figure.classList.add("drawn");
  }

  function drawTwins(figure, data, world) {
    var home = [data.town.long, data.town.lat];
    var map = frame(figure, world, framed(home, data.twins.map(function (twin) { return [twin.long, twin.lat]; })));
    var svg = map.svg, projection = map.projection, path = map.path;
    var links = el("g", { "class": "links" });
    var marks = el("g", { "class": "twins" });
    data.twins.forEach(function (twin) {
      var there = [twin.long, twin.lat];
      links.appendChild(arc(path, home, there, "link " + decadeClass(twin.decade)));
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
    done(figure, svg);
  }

  // A line's weight class (1 to 5) by the number of relations it stands for: 1, 2-3, 4-7, 8-15, 16 and more.
  function weight(count) {
    return "weight-" + Math.min(5, 1 + Math.floor(Math.log2(count)));
  }

  // The whole network: towns (or, aggregated, grid cells) and one line per relation (or group of relations).
  function drawNetwork(figure, data, world) {
    var map = frame(figure, world);
    var svg = map.svg, projection = map.projection, path = map.path;
    var at = data.marks.map(function (mark) { return [mark.long, mark.lat]; });
    var links = el("g", { "class": "links" });
    data.lines.forEach(function (line) {
      links.appendChild(titled(arc(path, at[line[0]], at[line[1]], "network-link " + weight(line[2])),
        line[2] + " × " + figure.dataset.relation));
    });
    var marks = el("g", { "class": "places" });
    data.marks.forEach(function (mark, i) {
      var xy = projection(at[i]);
      var circle = el("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: mark.iri ? 3 : 2 });
      if (mark.iri) {
        circle.setAttribute("class", "place");
        circle.setAttribute("data-iri", mark.iri);
        var link = el("a", { href: mark.href });
        link.appendChild(titled(circle, mark.label));
        marks.appendChild(link);
      } else {
        circle.setAttribute("class", "cell");
        marks.appendChild(titled(circle, mark.towns + " × " + figure.dataset.town));
      }
    });
    svg.appendChild(links);
    svg.appendChild(marks);
    done(figure, svg);
  }

  // Any places (a query's answer, on YASGUI's map view): each a point with its label and link, the map framed
  // on them. ``figure`` carries data-atlas and data-label as the pages' figures do.
  function drawPlaces(figure, places, world) {
    var coords = places.map(function (p) { return [p.long, p.lat]; });
    var longs = coords.map(function (c) { return c[0]; });
    var centre = [(Math.min.apply(null, longs) + Math.max.apply(null, longs)) / 2, 0];
    var region = [[coords[0][0] - AROUND, coords[0][1] - AROUND], [coords[0][0] + AROUND, coords[0][1] + AROUND]];
    var shape = { type: "MultiPoint", coordinates: coords.concat(coords.length > 1 ? [] : region) };
    var map = frame(figure, world, { shape: shape, centre: centre });
    var marks = el("g", { "class": "places" });
    places.forEach(function (place, i) {
      var xy = map.projection(coords[i]);
      var circle = titled(el("circle", {
        cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 4, "class": "place", "data-iri": place.iri || ""
      }), place.label);
      if (place.href) {
        var link = el("a", { href: place.href });
        link.appendChild(circle);
        marks.appendChild(link);
      } else {
        marks.appendChild(circle);
      }
    });
    map.svg.appendChild(marks);
    done(figure, map.svg);
  }

  // For other scripts of this site: draw ``places`` into ``figure`` once the atlas has come.
  window.pobratimMap = {
    places: function (figure, places) {
      return fetch(figure.dataset.atlas)
        .then(function (response) { return response.json(); })
        .then(function (world) { drawPlaces(figure, places, world); });
    }
  };

  function start() {
    if (!window.d3 || !window.topojson) {
      return;
    }
    [["twin-map", drawTwins], ["network-map", drawNetwork]].forEach(function (kind) {
      var figure = document.getElementById(kind[0]);
      var block = document.getElementById(kind[0] + "-data");
      if (!figure || !block) {
        return;
      }
      var data = JSON.parse(block.textContent);
      fetch(figure.dataset.atlas)
        .then(function (response) { return response.json(); })
        .then(function (world) { kind[1](figure, data, world); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
