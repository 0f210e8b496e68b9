// How this site's scripts show an IRI: as a link to this server's page where it lies under the dataset's base
// (not to the base's host), and as a prefixed name where a prefix fits. Loaded by every page, before its scripts.
(function () {
  "use strict";
  window.pobratimLinks = {
    local: function (iri, base, root) {
      return iri.indexOf(base) === 0 ? root + "/" + iri.slice(base.length) : iri;
    },
    shorten: function (iri, prefixes) {
      for (var prefix in prefixes) {
        if (iri.indexOf(prefixes[prefix]) === 0) {
          return prefix + ":" + iri.slice(prefixes[prefix].length);
        }
      }
      return iri;
    }
  };
})();
