// Start YASGUI on this server's endpoint only: no endpoint catalogue, no prefix or vocabulary look-ups on
// other hosts (the page's Content-Security-Policy would refuse them anyway), nothing kept from other sites.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("yasgui");
    var block = document.getElementById("yasgui-config");
    if (!holder || !block || !window.Yasgui) {
      return;
    }
    var config = JSON.parse(block.textContent);
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
      populateFromUrl: false,
      persistenceId: "pobratim-yasgui",
      yasqe: { value: config.query, autocompleters: ["variables"] }
    });
    var tab = yasgui.getTab();
    tab.setEndpoint(config.endpoint);
    tab.setQuery(config.query);
    window.pobratimYasgui = yasgui;
    holder.classList.add("ready");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
