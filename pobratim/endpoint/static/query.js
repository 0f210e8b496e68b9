// The query page: runs the query with fetch() against the SPARQL endpoint and shows the answer.
// Results are put into the page with DOM calls and textContent only, never as HTML markup.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("endpoint-config").textContent);
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const status = document.getElementById("status");
  const truncated = document.getElementById("truncated");
  const results = document.getElementById("results");

  // The page's words for what the script says (query_words.html), with {n} filled in.
  function say(name, n) {
    return config.messages[name].replace("{n}", n);
  }

  function localHref(iri) {
    return window.pobratimLinks.local(iri, config.base, config.root);
  }

  // Only web addresses become links: an IRI such as javascript:… in a result must never run on this origin.
  function isWebAddress(iri) {
    return /^https?:\/\//i.test(iri);
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && isWebAddress(term.value)) {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      const note = term["xml:lang"] || (term.datatype ? term.datatype.split("#").pop() : "");
      if (note) {
        const span = document.createElement("span");
        span.className = "note";
        span.textContent = " " + note;
        td.appendChild(span);
      }
    }
    return td;
  }

  function showTable(data) {
    const table = document.createElement("table");
    table.id = "results-table";
    const head = table.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of data.head.vars) tr.appendChild(cell(binding[v]));
    }
    results.replaceChildren(table);
    const rows = data.results.bindings.length;
    status.textContent = say(rows === 1 ? "row" : "rows", rows);
  }

  async function run(event) {
    if (event) event.preventDefault();
    status.textContent = say("running", "");
    truncated.hidden = true;
    results.replaceChildren();
    const started = performance.now();
    let response;
    try {
      response = await fetch(config.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: textarea.value }),
      });
    } catch (err) {
      status.textContent = say("network", err);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      // The body names the status and says what was wrong ("400 Bad Request: …"): shown as the server wrote it.
      status.textContent = (await response.text()).trim();
      return;
    }
    if (response.headers.get("X-Result-Truncated") === "true") {
      truncated.textContent = say("truncated", response.headers.get("X-Result-Limit"));
      truncated.hidden = false;
    }
    if (type.includes("sparql-results+json")) {
      const data = await response.json();
      if ("boolean" in data) {
        status.textContent = say("ask", data.boolean);
      } else {
        showTable(data);
        status.textContent += " " + say("seconds", seconds);
      }
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      results.replaceChildren(pre);
      status.textContent = say("graph", seconds);
    }
  }

  form.addEventListener("submit", run);
  document.getElementById("download").addEventListener("click", function () {
    const params = new URLSearchParams({
      query: textarea.value,
      format: document.getElementById("download-format").value,
    });
    window.location.href = config.endpoint + "?" + params.toString();
  });
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", function () {
      textarea.value = examples[button.dataset.name];
      run();
    });
  }
  const wanted = new URLSearchParams(window.location.search).get("example");
  if (wanted && examples[wanted]) {
    textarea.value = examples[wanted];
    run();
  }
})();
