// policy-kg web page: search a document, show its lineage diagram, open its coverage report.
// Plain JavaScript, no build step, no third-party code; every request goes to this API.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { doc: null, scope: "", asOf: "", institutions: [] };

function setStatus(el, text, isError = false) {
  el.textContent = text;
  el.classList.toggle("error", isError);
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const docLabel = (d) => d.code || "(no number)";
const today = () => {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

// ---------------------------------------------------------------- URL hash state

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { doc: params.get("doc"), scope: params.get("scope"), asOf: params.get("as_of"), q: params.get("q") };
}

function writeHash() {
  const params = new URLSearchParams();
  if ($("q").value) params.set("q", $("q").value);
  if (state.doc) params.set("doc", state.doc.uid);
  if (state.scope) params.set("scope", state.scope);
  if (state.asOf) params.set("as_of", state.asOf);
  history.replaceState(null, "", `#${params.toString()}`);
}

// ---------------------------------------------------------------- 1. search

async function search(query) {
  const status = $("search-status");
  const list = $("results");
  list.replaceChildren();
  setStatus(status, "Searching…");
  try {
    const page = await getJSON(`/documents?${new URLSearchParams({ q: query, limit: "50" })}`);
    const items = page.items || [];
    if (!items.length) {
      setStatus(status, `No document matches “${query}”.`);
      return;
    }
    const more = page.next_cursor ? " (first 50 shown: refine the words)" : "";
    setStatus(status, `${items.length} document${items.length === 1 ? "" : "s"}${more}. Pick one:`);
    for (const d of items) {
      const button = el("button", { type: "button", "data-uid": d.uid, "aria-pressed": "false" },
        el("span", { class: "code" }, docLabel(d)),
        el("span", { class: "badge " + d.status }, d.status),
        el("span", { class: "badge" }, d.type),
        el("br"),
        el("span", { class: "title" }, d.title || ""),
        el("br"),
        el("span", { class: "meta" },
          [d.issuer && d.issuer.name, d.issued_on, d.due && `due ${d.due}`].filter(Boolean).join(" · ")));
      button.addEventListener("click", () => selectDocument(d));
      list.append(el("li", {}, button));
    }
  } catch (err) {
    setStatus(status, `Search failed: ${err.message}`, true);
  }
}

// ---------------------------------------------------------------- 2. lineage

function facts(d) {
  const rows = [
    ["Number", docLabel(d)], ["Title", d.title], ["Type", d.type], ["Status", d.status],
    ["Issuer", d.issuer && d.issuer.name], ["Issued on", d.issued_on], ["Due", d.due],
    ["Conflicts", (d.conflicts || []).join(", ")], ["uid", d.uid],
  ];
  return rows.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]);
}

function safeSvg(text) {
  // The diagram comes from this API (Graphviz); drop anything active before inlining it.
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = parsed.documentElement;
  if (!svg || svg.nodeName !== "svg" || parsed.getElementsByTagName("parsererror").length) return null;
  for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
  for (const node of svg.querySelectorAll("*")) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name)) node.removeAttribute(attr.name);
      if (/href$/i.test(attr.name) && /^\s*javascript:/i.test(attr.value)) node.removeAttribute(attr.name);
    }
  }
  return document.importNode(svg, true);
}

async function showLineage() {
  const d = state.doc;
  const box = $("lineage");
  const depth = $("depth").value;
  const svgUrl = `/documents/${encodeURIComponent(d.uid)}/lineage.svg?depth=${depth}`;
  $("svg-link").href = svgUrl;
  $("json-link").href = `/documents/${encodeURIComponent(d.uid)}/lineage?depth=${depth}`;
  box.replaceChildren(el("p", { class: "meta" }, "Drawing the implementation tree…"));
  try {
    const response = await fetch(svgUrl);
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try { detail = JSON.parse(text).detail || detail; } catch (_) { /* not JSON */ }
      throw new Error(detail);
    }
    const svg = safeSvg(text);
    if (!svg) throw new Error("the diagram is not valid SVG");
    box.replaceChildren(svg);
  } catch (err) {
    box.replaceChildren(el("p", { class: "status-line error" }, `No diagram: ${err.message}`));
  }
}

async function selectDocument(d) {
  state.doc = d;
  for (const b of document.querySelectorAll("#results button")) {
    b.setAttribute("aria-pressed", String(b.dataset.uid === d.uid));
  }
  $("doc-code").textContent = docLabel(d);
  $("doc-facts").replaceChildren(...facts(d));
  $("document-section").hidden = false;
  $("coverage-section").hidden = false;
  $("report").hidden = true;
  $("report-links").hidden = true;
  setStatus($("coverage-status"), "");
  writeHash();
  await Promise.all([showLineage(), loadInstitutions()]);
  $("document-section").scrollIntoView({ block: "start" });
}

// ---------------------------------------------------------------- 3. coverage

async function loadInstitutions() {
  if (state.institutions.length) return;
  const all = [];
  let cursor = null;
  try {
    do {
      const params = new URLSearchParams({ limit: "500" });
      if (cursor) params.set("cursor", cursor);
      const page = await getJSON(`/institutions?${params}`);
      all.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
  } catch (err) {
    setStatus($("coverage-status"), `Could not list institutions: ${err.message}`, true);
    return;
  }
  all.sort((a, b) => a.name.localeCompare(b.name, "vi"));
  state.institutions = all;
  fillScopes();
}

function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase();
}

function fillScopes() {
  const select = $("scope");
  const words = fold($("scope-filter").value).split(/\s+/).filter(Boolean);
  const keep = state.institutions.filter((i) => {
    const hay = fold([i.name, i.short_name, i.uid, ...(i.aliases || [])].join(" "));
    return words.every((w) => hay.includes(w)) || i.uid === state.scope;
  });
  const options = keep.map((i) => {
    const label = i.short_name && i.short_name !== i.name ? `${i.name} (${i.short_name})` : i.name;
    const opt = el("option", { value: i.uid }, label + (i.level ? ` — ${i.level}` : ""));
    opt.selected = i.uid === state.scope;
    return opt;
  });
  select.replaceChildren(el("option", { value: "" }, "— choose an institution —"), ...options);
  select.value = state.scope;
}

function reportUrl(format) {
  const params = new URLSearchParams({ document: state.doc.uid, scope: state.scope, as_of: state.asOf });
  if (format) params.set("format", format);
  return `/reports/coverage?${params}`;
}

async function openReport() {
  state.scope = $("scope").value;
  state.asOf = $("as-of").value;
  writeHash();
  const status = $("coverage-status");
  if (!state.doc || !state.scope || !state.asOf) {
    setStatus(status, "Choose a document, a scope institution and a date.", true);
    return;
  }
  const url = reportUrl();
  setStatus(status, "Building the coverage report…");
  try {
    // Ask first, so that an error shows as a message rather than as JSON in the frame.
    const response = await fetch(url);
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new Error((body && body.detail) || `${response.status} ${response.statusText}`);
    }
  } catch (err) {
    setStatus(status, `No report: ${err.message}`, true);
    $("report").hidden = true;
    $("report-links").hidden = true;
    return;
  }
  const frame = $("report");
  frame.src = url;
  frame.hidden = false;
  $("report-open").href = url;
  $("report-csv").href = reportUrl("csv");
  $("report-xlsx").href = reportUrl("xlsx");
  $("report-links").hidden = false;
  const scopeName = $("scope").selectedOptions[0]?.textContent || state.scope;
  setStatus(status, `Coverage of ${docLabel(state.doc)} under ${scopeName} as of ${state.asOf}.`);
}

// ---------------------------------------------------------------- start

async function restore() {
  const saved = readHash();
  $("as-of").value = saved.asOf || today();
  state.asOf = $("as-of").value;
  state.scope = saved.scope || "";
  if (saved.q) {
    $("q").value = saved.q;
    await search(saved.q);
  }
  if (saved.doc) {
    try {
      const d = await getJSON(`/documents/${encodeURIComponent(saved.doc)}`);
      await selectDocument(d);
      if (state.scope) await openReport();
    } catch (err) {
      setStatus($("search-status"), `Document ${saved.doc}: ${err.message}`, true);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = $("q").value.trim();
    if (query) {
      writeHash();
      search(query);
    }
  });
  $("depth").addEventListener("change", () => state.doc && showLineage());
  $("scope-filter").addEventListener("input", fillScopes);
  $("scope").addEventListener("change", () => { state.scope = $("scope").value; writeHash(); });
  $("coverage-form").addEventListener("submit", (event) => {
    event.preventDefault();
    openReport();
  });
  restore();
});
