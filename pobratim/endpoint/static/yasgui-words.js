// YASGUI's own words in the page's language, where YASGUI offers no setting for them: the texts and the titles,
// placeholders and ARIA labels it writes in English, looked up in one table (yasgui.html's "words": an English
// string, or a pattern with {named} parts, to the page's words). Applied once YASGUI has drawn and again to
// whatever it draws later (tabs, menus, the share box, tooltips, plugins, errors), by watching its DOM; changed
// with textContent/data and setAttribute only, never as markup.
(function () {
  "use strict";
  var ATTRIBUTES = ["title", "placeholder", "aria-label"];
  // What a person wrote or asked for, never translated: the query, the results and their column names, the
  // answer's map and chart (labels from the data), the server's own error text.
  var DATA = ".CodeMirror-line, .dataTable tbody, .dataTable thead, figure, .errorMessage";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // A pattern's English wording as a regular expression with a group for each {part}.
  function compile(english, words) {
    var names = [];
    var source = escapeRegExp(english).replace(/\\\{(\w+)\\\}/g, function (_, name) {
      names.push(name);
      return "(.+?)";
    });
    return { regexp: new RegExp("^" + source + "$"), names: names, words: words };
  }

  function translator(table) {
    var exact = table.text;
    var patterns = Object.keys(table.patterns).map(function (english) { return compile(english, table.patterns[english]); });
    // What this wrote: seen again (it changes the DOM it watches), it is left as it is, even where an English
    // translation would match its own pattern ("Shows the Map view" is "Shows {view} view").
    var made = new Set();
    // The page's words for an English string, or null where the table has none.
    return function (english) {
      var text = english.trim();
      if (!text || made.has(text)) {
        return null;
      }
      var words = Object.prototype.hasOwnProperty.call(exact, text) ? exact[text] : null;
      for (var i = 0; words === null && i < patterns.length; i++) {
        var found = patterns[i].regexp.exec(text);
        if (found) {
          words = patterns[i].words;
          patterns[i].names.forEach(function (name, at) { words = words.split("{" + name + "}").join(found[at + 1]); });
        }
      }
      if (words === null || words === text) {
        return null;
      }
      made.add(words);
      // Keep the spaces around the text: they separate it from its neighbours.
      return english.replace(text, function () { return words; });
    };
  }

  function isData(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return !element || !!element.closest(DATA);
  }

  function translateAttributes(element, say) {
    ATTRIBUTES.forEach(function (name) {
      var value = element.getAttribute(name);
      var words = value === null ? null : say(value);
      if (words !== null) {
        element.setAttribute(name, words);
      }
    });
  }

  // Translate a node and everything under it, leaving the data alone.
  function translate(node, say) {
    if (isData(node)) {
      return;
    }
    if (node.nodeType === Node.TEXT_NODE) {
      var words = say(node.data);
      if (words !== null) {
        node.data = words;
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    translateAttributes(node, say);
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.nodeType === Node.ELEMENT_NODE && n.matches(DATA) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        var text = say(n.data);
        if (text !== null) {
          n.data = text;
        }
      } else {
        translateAttributes(n, say);
      }
    }
  }

  // Translate what is under ``root`` now and whatever YASGUI puts or changes there later.
  function watch(root, table) {
    var say = translator(table);
    translate(root, say);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "childList") {
          record.addedNodes.forEach(function (node) { translate(node, say); });
        } else if (record.type === "characterData") {
          translate(record.target, say);
        } else if (!isData(record.target)) {
          translateAttributes(record.target, say);
        }
      });
    }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  }

  window.pobratimYasguiWords = { watch: watch };
})();
