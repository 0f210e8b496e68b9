// Start YASGUI on this server's endpoint only: no endpoint catalogue, no prefix or vocabulary look-ups on
// other hosts (the page's Content-Security-Policy would refuse them anyway), nothing kept from other sites.
// As on the Wikidata Query Service, a shared link (/yasgui#query=… or /yasgui?query=…) opens its query, and an
// edited query survives a reload (YASGUI keeps its tabs in this browser's local storage).
(function () {
  "use strict";

  // A literal's value alone, its datatype or language on hover (as a prefixed name where a prefix fits).
  // Built with DOM calls: YASR puts the returned markup into the cell, so the value must be escaped.
  function plainLiteral(binding, prefixes) {
    var span = document.createElement("span");
    span.textContent = binding.value;
    var kind = binding["xml:lang"] ? "@" + binding["xml:lang"] : binding.datatype ? window.pobratimLinks.shorten(binding.datatype, prefixes) : "";
    if (kind) {
      span.title = kind;
      span.className = "typed";
    }
    return span.outerHTML;
  }

  // IRIs under this dataset's base open this server's page for them, not the base's host.
  function localLinks(root, base, prefix) {
    root.querySelectorAll("a.iri").forEach(function (a) {
      var iri = a.getAttribute("href");
      if (iri && iri.indexOf(base) === 0) {
        a.setAttribute("href", window.pobratimLinks.local(iri, base, prefix));
        a.removeAttribute("target");
      }
    });
  }

  // The page's words for what a script says (yasgui.html, query_words.html), with {n} filled in.
  function say(words, name, n) {
    return words[name].split("{n}").join(n);
  }

  // YASR's own plugins under the page's names for them (YASR takes a plugin's name from the plugin).
  function named(Plugin, label) {
    return class extends Plugin {
      constructor(yasr) {
        super(yasr);
        this.label = label;
      }
    };
  }

  // What an answer holds and how long it took, as the plain query page says it.
  function responseInfo(words) {
    return function () {
      var bindings = this.results && this.results.getBindings();
      var time = this.results && this.results.getResponseTime();
      var parts = [];
      if (bindings) {
        parts.push(say(words, bindings.length === 1 ? "row" : "rows", bindings.length));
      } else if (time) {
        parts.push(words.answer);
      }
      if (time) {
        parts.push(say(words, "seconds", (time / 1000).toFixed(2)));
      }
      this.dataElement.classList.toggle("empty", !this.results);
      this.dataElement.textContent = parts.join(" ");
    };
  }

  // A refused query shows the server's own words, as on the plain query page: YASQE passes them on as the error's
  // text, and this server's start with the status ("400 Bad Request: …"). Any other text is the browser's
  // (fetch failed): the server could not be reached, said in the page's language.
  function errorRenderer(words) {
    return function (error) {
      var box = document.createElement("div");
      var text = document.createElement("pre");
      var said = (error.text || "").trim();
      text.className = "errorMessage";
      text.textContent = (error.status || /^\d{3} /.test(said)) ? said || String(error.status) : say(words, "network", said);
      box.appendChild(text);
      return Promise.resolve(box);
    };
  }

  function start() {
    var holder = document.getElementById("yasgui");
    var block = document.getElementById("yasgui-config");
    if (!holder || !block || !window.Yasgui) {
      return;
    }
    var config = JSON.parse(block.textContent);
    // An absolute address: YASGUI's own check of an error (http endpoint, https page) cannot read a path alone.
    var endpoint = new URL(config.endpoint, window.location.href).href;
    var words = config.words;
    var Yasr = Yasgui.Yasr;
    window.pobratimYasr.register(Yasr, config);  // the map and chart views of an answer
    var table = Yasr.plugins.table;
    table.prototype.formatLiteral = function (binding, prefixes) {
      return plainLiteral(binding, prefixes);
    };
    // DataTables' own texts (the counts, the sorting and paging labels) in the page's language.
    table.defaults.tableConfig.language = Object.assign({}, table.defaults.tableConfig.language, words.table);
    Yasr.registerPlugin("table", named(table, words.plugins.table));
    Yasr.registerPlugin("response", named(Yasr.plugins.response, words.plugins.response));
    Yasr.prototype.updateResponseInfo = responseInfo(words.script);
    Yasr.defaults.errorRenderers = [errorRenderer(words.script)];
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      populateFromUrl: true,
      tabName: words.tab,
      persistenceId: "pobratim-yasgui",
      yasqe: { value: config.query, autocompleters: ["variables"] },
      yasr: { prefixes: config.prefixes }
    });
    // Whatever a link or an old tab said, queries go to this server's endpoint (the CSP allows no other).
    var tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    function settle(current) {
      var yasr = current.getYasr && current.getYasr();
      if (yasr && !yasr.pobratimFollowed) {
        yasr.pobratimFollowed = true;
        yasr.on("drawn", function () { localLinks(holder, config.base, config.root); });
      }
    }
    settle(tab);
    yasgui.on("tabSelect", function (_, id) {
      window.setTimeout(function () { settle(yasgui.getTab(id)); }, 0);
    });
    window.pobratimYasguiWords.watch(holder, words);
    window.pobratimYasgui = yasgui;
    holder.classList.add("ready");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
