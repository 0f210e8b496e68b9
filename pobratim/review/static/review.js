// The review page's keys, its partner search and "add the selected name as a partner". Every decision is
// an ordinary form post: the page works without this script, only slower to drive.
"use strict";

(function () {
  const items = Array.from(document.querySelectorAll("li.item"));
  const placesUrl = document.body.dataset.places;
  let current = Math.max(0, items.findIndex((li) => li.classList.contains("proposed")));

  function highlight(li) {
    document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
    document.querySelectorAll("mark[data-items]").forEach((m) => {
      if (m.dataset.items.split(" ").includes(li.dataset.item)) m.classList.add("current");
    });
  }

  function select(index) {
    if (!items.length) return;
    current = (index + items.length) % items.length;
    items.forEach((li, i) => li.classList.toggle("selected", i === current));
    const li = items[current];
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: "nearest" });
    highlight(li);
    const mark = document.querySelector("mark.current");
    if (mark) mark.scrollIntoView({ block: "nearest" });
  }

  function decide(value) {
    const button = items[current] && items[current].querySelector(`button[value="${value}"]`);
    if (button) button.click();
  }

  async function findPlaces(query, target) {
    if (!query) return;
    const answer = await fetch(`${placesUrl}?q=${encodeURIComponent(query)}`);
    if (!answer.ok) return;
    const places = await answer.json();
    const keep = target.value;
    target.replaceChildren(
      ...places.map((p) => {
        const option = document.createElement("option");
        option.value = p.key;
        option.textContent = p.label;
        return option;
      })
    );
    if (!places.length && keep) target.value = keep;
  }

  // The offset of the selection's start in the page's text, counted as the server counts it.
  function offsetIn(container, range) {
    const before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return before.toString().length;
  }

  const pageText = document.getElementById("page-text");
  const add = document.getElementById("add");

  function addSelected() {
    const selection = window.getSelection();
    if (!pageText || !selection || selection.isCollapsed) return false;
    const range = selection.getRangeAt(0);
    if (!pageText.contains(range.startContainer)) return false;
    const raw = selection.toString();
    const label = raw.trim();
    if (!label) return false;
    const at = offsetIn(pageText, range) + (raw.length - raw.trimStart().length);
    document.getElementById("add-label").value = label;
    document.getElementById("add-at").value = String(at);
    add.hidden = false;
    findPlaces(label, document.getElementById("add-partner"));
    add.scrollIntoView({ block: "nearest" });
    return true;
  }

  items.forEach((li, i) => {
    li.addEventListener("click", () => { if (current !== i) select(i); });
    const find = li.querySelector("input.find");
    const partner = li.querySelector("select.partner");
    if (find && partner) {
      find.addEventListener("change", () => findPlaces(find.value.trim(), partner));
    }
  });
  document.querySelectorAll("mark[data-items]").forEach((m) => {
    m.addEventListener("click", () => {
      const i = items.findIndex((li) => m.dataset.items.split(" ").includes(li.dataset.item));
      if (i >= 0 && window.getSelection().isCollapsed) select(i);
    });
  });
  const cancel = document.getElementById("add-cancel");
  if (cancel) cancel.addEventListener("click", () => { add.hidden = true; });

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {
      j: () => select(current + 1),
      k: () => select(current - 1),
      a: () => decide("accepted"),
      r: () => decide("rejected"),
      e: () => { const p = items[current] && items[current].querySelector("select.partner"); if (p) p.focus(); },
      n: () => addSelected(),
    };
    const act = keys[event.key];
    if (act) {
      event.preventDefault();
      act();
    }
  });

  const anchored = items.findIndex((li) => `#${li.id}` === window.location.hash);
  select(anchored >= 0 ? anchored : current);
})();
