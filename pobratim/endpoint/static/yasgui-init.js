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

  // YASGUI's own words in the page's language: texts matched by their English wording, and titles/placeholders.
  function translate(root, labels) {
    root.querySelectorAll("label, span.label, button, a, li").forEach(function (el) {
      if (el.children.length === 0) {
        var text = el.textContent.trim();
        if (Object.prototype.hasOwnProperty.call(labels.text, text)) {
          el.textContent = labels.text[text];
        }
      }
    });
    ["title", "placeholder", "aria-label"].forEach(function (name) {
      root.querySelectorAll("[" + name + "]").forEach(function (el) {
        var value = el.getAttribute(name);
        if (Object.prototype.hasOwnProperty.call(labels.attributes, value)) {
          el.setAttribute(name, labels.attributes[value]);
        }
      });
    });
  }

  function start() {
    var holder = document.getElementById("yasgui");
    var block = document.getElementById("yasgui-config");
    if (!holder || !block || !window.Yasgui) {
      return;
    }
    var config = JSON.parse(block.textContent);
    window.pobratimYasr.register(Yasgui.Yasr, config);  // the map and chart views of an answer
    var table = Yasgui.Yasr.plugins.table;
    table.prototype.formatLiteral = function (binding, prefixes) {
      return plainLiteral(binding, prefixes);
    };
    table.defaults.tableConfig.language = Object.assign({}, table.defaults.tableConfig.language, config.labels.table);
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
      populateFromUrl: true,
      persistenceId: "pobratim-yasgui",
      yasqe: { value: config.query, autocompleters: ["variables"] },
      yasr: { prefixes: config.prefixes }
    });
    // Whatever a link or an old tab said, queries go to this server's endpoint (the CSP allows no other).
    var tab = yasgui.getTab();
    tab.setEndpoint(config.endpoint);
    function settle(current) {
      var yasr = current.getYasr && current.getYasr();
      if (yasr && !yasr.pobratimFollowed) {
        yasr.pobratimFollowed = true;
        yasr.on("drawn", function () {
          localLinks(holder, config.base, config.root);
          translate(holder, config.labels);
        });
      }
      translate(holder, config.labels);
    }
    settle(tab);
    yasgui.on("tabSelect", function (_, id) {
      window.setTimeout(function () { settle(yasgui.getTab(id)); }, 0);
    });
    window.pobratimYasgui = yasgui;
    holder.classList.add("ready");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
