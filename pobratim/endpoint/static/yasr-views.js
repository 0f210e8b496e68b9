// Two views of a query's answer beside YASGUI's table, as the Wikidata Query Service offers them: a map when the
// answer has coordinates (?lat and ?long, or a geo:wktLiteral point) and a bar chart when it has numbers (a COUNT
// by town). Drawn with DOM calls only; the map with this site's own map code and Natural Earth data.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NUMBERS = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger", "positiveInteger"];
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  var MOST = 500;  // rows a chart or a map draws at most

  function isNumber(term) {
    return !!term && term.type !== "uri" && !!term.datatype && term.datatype.indexOf(XSD) === 0 &&
      NUMBERS.indexOf(term.datatype.slice(XSD.length)) >= 0 && isFinite(Number(term.value));
  }

  var LAT = /^(lat|latitude)$/i;
  var LONG = /^(long|lon|lng|longitude)$/i;

  function named(vars, pattern) {
    return vars.filter(function (v) { return pattern.test(v); })[0];
  }

  // What names a row: its first variable that is not a number or a coordinate, as text (an IRI as a prefixed
  // name) and, for an IRI, a link.
  function caption(row, vars, skip, link) {
    for (var i = 0; i < vars.length; i++) {
      var term = row[vars[i]];
      if (term && skip.indexOf(vars[i]) < 0 && !isNumber(term)) {
        var iri = term.type === "uri";
        return { text: iri ? link.short(term.value) : term.value, href: iri ? link(term.value) : null, iri: iri ? term.value : "" };
      }
    }
    return { text: "", href: null, iri: "" };
  }

  function places(results, link) {
    if (!results || !results.getVariables) {
      return [];
    }
    // An error or a graph has no variables and no rows (null, not empty).
    var vars = results.getVariables() || [];
    var lat = named(vars, LAT);
    var long = named(vars, LONG);
    var out = [];
    (results.getBindings() || []).slice(0, MOST).forEach(function (row) {
      var point = null;
      if (lat && long && row[lat] && row[long] && isFinite(Number(row[lat].value)) && isFinite(Number(row[long].value))) {
        point = [Number(row[long].value), Number(row[lat].value)];
      } else {
        vars.forEach(function (v) {
          var m = row[v] && row[v].datatype === WKT && /^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$/i.exec(row[v].value);
          if (m && !point) {
            point = [Number(m[1]), Number(m[2])];
          }
        });
      }
      if (point) {
        var name = caption(row, vars, [lat, long], link);
        out.push({ long: point[0], lat: point[1], label: name.text, href: name.href, iri: name.iri });
      }
    });
    return out;
  }

  function bars(results, link) {
    if (!results || !results.getVariables) {
      return [];
    }
    var vars = results.getVariables() || [];
    var rows = results.getBindings() || [];
    // A number to draw: not a coordinate (an answer with coordinates has the map).
    var number = vars.filter(function (v) {
      return !LAT.test(v) && !LONG.test(v) && rows.length && rows.every(function (r) { return isNumber(r[v]); });
    })[0];
    if (!number || rows.length > MOST) {
      return [];
    }
    return rows.map(function (row) {
      var name = caption(row, vars, [number], link);
      return { value: Number(row[number].value), label: name.text, href: name.href };
    });
  }

  function svgEl(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function drawBars(holder, rows) {
    var height = 22;
    var width = 900;
    var labelWidth = 260;
    var most = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + (rows.length * height + 4), "class": "bars", role: "img" });
    rows.forEach(function (row, i) {
      var y = i * height + 2;
      var text = svgEl("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end", "class": "bar-label" });
      text.textContent = row.label;
      if (row.href) {
        var a = svgEl("a", { href: row.href });
        a.appendChild(text);
        svg.appendChild(a);
      } else {
        svg.appendChild(text);
      }
      var w = Math.max(1, (width - labelWidth - 70) * row.value / most);
      svg.appendChild(svgEl("rect", { x: labelWidth, y: y + 3, width: w.toFixed(1), height: height - 6, "class": "bar", "data-value": row.value }));
      var value = svgEl("text", { x: labelWidth + w + 6, y: y + 15, "class": "bar-value" });
      value.textContent = String(row.value);
      svg.appendChild(value);
    });
    holder.appendChild(svg);
  }

  function icon(text) {
    var span = document.createElement("span");
    span.className = "view-icon";
    span.textContent = text;
    return span;
  }

  // Register the two views with YASR; ``config`` gives their names, the atlas, the prefixes and how IRIs become
  // this site's links.
  function register(Yasr, config) {
    function link(iri) {
      return window.pobratimLinks.local(iri, config.base, config.root);
    }
    link.short = function (iri) { return window.pobratimLinks.shorten(iri, config.prefixes); };

    function MapView(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = config.words.plugins.map;
    }
    MapView.prototype.canHandleResults = function () { return places(this.yasr.results, link).length > 0; };
    MapView.prototype.getIcon = function () { return icon("◉"); };
    MapView.prototype.draw = function () {
      var figure = document.createElement("figure");
      figure.className = "map query-map";
      figure.dataset.atlas = config.atlas;
      figure.dataset.label = config.words.plugins.map;
      this.yasr.resultsEl.appendChild(figure);
      window.pobratimMap.places(figure, places(this.yasr.results, link));
    };

    function ChartView(yasr) {
      this.yasr = yasr;
      this.priority = 4;
      this.label = config.words.plugins.chart;
    }
    ChartView.prototype.canHandleResults = function () { return bars(this.yasr.results, link).length > 0; };
    ChartView.prototype.getIcon = function () { return icon("▤"); };
    ChartView.prototype.draw = function () {
      var holder = document.createElement("figure");
      holder.className = "query-chart";
      this.yasr.resultsEl.appendChild(holder);
      drawBars(holder, bars(this.yasr.results, link));
    };

    Yasr.registerPlugin("map", MapView);
    Yasr.registerPlugin("chart", ChartView);
  }

  window.pobratimYasr = { register: register };
})();
