// The list of divergent tests, drawn from the index a page at a time, and each test's detail
// drawn from its compressed JSON when it is opened: the page opens at once however many
// tests diverge. Filters: which backends, area, classes and baseline status to show. A
// divergence stays visible while at least two of its groups hold a shown backend: hiding a
// backend hides the differences that only it had.
(function () {
  "use strict";
  const PAGE = 200;
  const all = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const value = (id) => { const el = document.getElementById(id); return el ? el.value : ""; };
  const index = JSON.parse(document.getElementById("report-index").textContent);
  const entries = index.divergences;
  const byId = new Map(entries.map((entry, number) => [entry.id, number]));
  const limit = { divergences: PAGE, informational: PAGE };
  const pinned = new Set(); // opened through a link: shown whatever the filters say
  let hidden = new Set();

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Pretty-print as Python's json.dumps(value, indent=2, sort_keys=True) does, line by line.
  function pretty(value) {
    const lines = [];
    function put(v, indent, head, tail) {
      if (v === null || typeof v !== "object") {
        lines.push(indent + head + JSON.stringify(v) + tail);
      } else if (Array.isArray(v)) {
        if (!v.length) { lines.push(indent + head + "[]" + tail); return; }
        lines.push(indent + head + "[");
        v.forEach((item, i) => put(item, indent + "  ", "", i < v.length - 1 ? "," : ""));
        lines.push(indent + "]" + tail);
      } else {
        const keys = Object.keys(v).sort();
        if (!keys.length) { lines.push(indent + head + "{}" + tail); return; }
        lines.push(indent + head + "{");
        keys.forEach((key, i) => put(v[key], indent + "  ", JSON.stringify(key) + ": ", i < keys.length - 1 ? "," : ""));
        lines.push(indent + "}" + tail);
      }
    }
    put(value, "", "", "");
    return lines;
  }

  // The lines of a and b in matching blocks, as Python's difflib.SequenceMatcher finds them
  // with no junk (ddbmatrix.report.diff.side_by_side marks lines the same way).
  function matched(a, b) {
    const b2j = new Map();
    b.forEach((line, j) => { if (b2j.has(line)) b2j.get(line).push(j); else b2j.set(line, [j]); });
    const inA = new Set(), inB = new Set();
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      let besti = alo, bestj = blo, size = 0, j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > size) { besti = i - k + 1; bestj = j - k + 1; size = k; }
        }
        j2len = next;
      }
      if (!size) continue;
      for (let k = 0; k < size; k++) { inA.add(besti + k); inB.add(bestj + k); }
      if (alo < besti && blo < bestj) queue.push([alo, besti, blo, bestj]);
      if (besti + size < ahi && bestj + size < bhi) queue.push([besti + size, ahi, bestj + size, bhi]);
    }
    return [inA, inB];
  }

  // Each value's lines, marked where they differ from values[base].
  function sideBySide(values, base) {
    const texts = values.map(pretty);
    const baseChanged = texts[base].map(() => false);
    const columns = texts.map((lines, i) => {
      if (i === base) return null;
      const [inA, inB] = matched(texts[base], lines);
      texts[base].forEach((_, a) => { if (!inA.has(a)) baseChanged[a] = true; });
      return lines.map((text, b) => [text, !inB.has(b)]);
    });
    columns[base] = texts[base].map((text, a) => [text, baseChanged[a]]);
    return columns;
  }

  function pre(lines) { return el("pre", "", lines.join("\n")); }

  function callView(view, groups, open) {
    const li = el("li", "call " + (view.same ? "same" : "differs"));
    const details = el("details");
    details.open = open;
    const summary = el("summary", "", "call #" + (view.index + 1) + " ");
    li.appendChild(details).appendChild(summary);
    if (view.same) {
      summary.append(view.operation + ": the same on every backend");
      details.appendChild(pre(pretty(view.value)));
      return li;
    }
    summary.append(el("b", "", view.operation), ": differs");
    if (view.request !== null) {
      const request = details.appendChild(el("details", "request"));
      request.append(el("summary", "", "request (the same on every backend)"), pre(pretty(view.request)));
    }
    const row = details.appendChild(el("table", "side")).appendChild(el("tr"));
    sideBySide(view.answers, view.base).forEach((column, g) => {
      const td = row.appendChild(el("td"));
      td.dataset.group = g;
      td.appendChild(el("div", "colhead", groups[g].backends.join(", ")));
      const block = td.appendChild(el("pre"));
      column.forEach(([text, changed]) => block.appendChild(el("span", changed ? "chg" : "eq", text + "\n")));
    });
    return li;
  }

  function groupsTable(entry, detail) {
    const table = el("table", "groups");
    const head = table.appendChild(el("thead")).appendChild(el("tr"));
    head.appendChild(el("th"));
    const body = table.appendChild(el("tbody"));
    const outcome = body.appendChild(el("tr"));
    const verdict = body.appendChild(el("tr"));
    outcome.appendChild(el("th", "", "outcome"));
    verdict.appendChild(el("th", "", "verdict"));
    detail.groups.forEach((group, g) => {
      const reference = g === entry.reference;
      const th = head.appendChild(el("th", "", group.backends.join(", ")));
      if (reference) th.append(" ", el("span", "refmark", "reference"));
      const td = outcome.appendChild(el("td", "outcome-" + group.outcome, group.outcome));
      if (group.exception) {
        const code = group.exception.code ? " " + group.exception.code : "";
        td.append(" ", el("code", "", group.exception.type + code));
      }
      if (group.message && group.outcome !== "passed") td.appendChild(el("pre", "message", group.message));
      const cell = verdict.appendChild(el("td"));
      if (group.class) cell.appendChild(el("span", "chip c-" + group.class, index.titles[group.class]));
      cell.append(" " + group.verdict + (reference ? " (reference)" : ""));
      [th, td, cell].forEach((node) => { node.dataset.group = g; });
    });
    return table;
  }

  function draw(body, entry, detail) {
    const verdict = body.appendChild(el("p", "verdict"));
    const anchor = verdict.appendChild(el("a", "anchor", "#"));
    anchor.href = "#" + entry.id;
    anchor.title = "link to this divergence";
    verdict.append(" " + detail.verdict + ".");
    if (detail.source) {
      const source = el("a", "source", detail.location.path + ":" + detail.location.line);
      source.href = detail.source;
      verdict.append(" ", source);
    }
    if (detail.causes.length) {
      const list = body.appendChild(el("ul", "test-causes"));
      detail.causes.forEach(([cid, sentence]) => {
        const link = list.appendChild(el("li")).appendChild(el("a", "", sentence));
        link.href = "#" + cid;
      });
    }
    body.appendChild(groupsTable(entry, detail));
    if (detail.decisive) {
      body.appendChild(el("h4", "decisive", "The decisive call"));
      body.appendChild(el("ol", "calls decisive")).appendChild(callView(detail.decisive, detail.groups, true));
    }
    if (detail.others.length) {
      const count = detail.others.length;
      const differing = detail.others.filter((view) => !view.same).length;
      const others = body.appendChild(el("details", "other-calls"));
      others.appendChild(el("summary", "", count + " other call" + (count !== 1 ? "s" : "") + " (" + differing + " differing)"));
      const list = others.appendChild(el("ol", "calls"));
      detail.others.forEach((view) => list.appendChild(callView(view, detail.groups, false)));
    }
    showGroups(body.parentNode);
  }

  async function inflate(packed) {
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return JSON.parse(await new Response(stream).text());
  }

  const parsed = new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve);
    else resolve();
  });

  async function fill(details) {
    if (details.dataset.drawn) return;
    details.dataset.drawn = "1";
    const entry = entries[byId.get(details.id)];
    let packed = document.getElementById("x-" + entry.id);
    if (!packed) { await parsed; packed = document.getElementById("x-" + entry.id); }
    draw(details.querySelector(".body"), entry, await inflate(packed.textContent));
  }

  function item(entry) {
    const details = el("details", "divergence");
    details.id = entry.id;
    details.dataset.test = entry.test;
    details.dataset.area = entry.area;
    details.dataset.classes = entry.classes.join(" ");
    details.dataset.status = entry.status;
    const summary = details.appendChild(el("summary"));
    summary.appendChild(el("code", "test", entry.test));
    if (entry.status) summary.append(" ", el("span", "status status-" + entry.status, entry.status));
    entry.chips.forEach((key) => summary.append(" ", el("span", "chip c-" + key, index.titles[key])));
    if (entry.informational) summary.append(" ", el("span", "chip c-informational", "informational"));
    const split = summary.appendChild(el("span", "split"));
    entry.groups.forEach((backends, g) => {
      const span = split.appendChild(el("span", g === entry.reference ? "ref" : "", backends.join(", ")));
      span.dataset.group = g;
    });
    details.appendChild(el("div", "body"));
    details.addEventListener("toggle", () => { if (details.open) fill(details); });
    return details;
  }

  function visibleGroups(entry) {
    return entry.groups.map((backends) => backends.some((b) => !hidden.has(b)));
  }

  function showGroups(details) {
    const visible = visibleGroups(entries[byId.get(details.id)]);
    all("[data-group]", details).forEach((node) => { node.hidden = !visible[Number(node.dataset.group)]; });
  }

  function matches(entry, filters) {
    if (entry.section !== "divergences") return true; // informational tests are not filtered
    return visibleGroups(entry).filter(Boolean).length >= 2
      && (!filters.area || entry.area === filters.area)
      && entry.classes.some((c) => filters.classes.has(c))
      && (!filters.status || entry.status === filters.status)
      && (!filters.text || entry.test.toLowerCase().includes(filters.text));
  }

  function apply() {
    hidden = new Set(all("input.f-backend").filter((i) => !i.checked).map((i) => i.value));
    const filters = {
      classes: new Set(all("input.f-class").filter((i) => i.checked).map((i) => i.value)),
      area: value("f-area"),
      status: value("f-status"),
      text: value("f-text").trim().toLowerCase(),
    };
    all("[data-backend]").forEach((node) => { node.hidden = hidden.has(node.dataset.backend); });
    all("#matrix tr[data-area]").forEach((tr) => tr.classList.toggle("selected", tr.dataset.area === filters.area));
    all(".divergence-list").forEach((list) => {
      const section = list.dataset.section;
      const shown = entries.filter((entry) => entry.section === section && (matches(entry, filters) || pinned.has(entry.id)));
      const drawn = new Map(all("details.divergence", list).map((d) => [d.id, d]));
      const page = shown.slice(0, limit[section]);
      entries.forEach((entry) => { if (pinned.has(entry.id) && entry.section === section && !page.includes(entry)) page.push(entry); });
      list.replaceChildren(...page.map((entry) => drawn.get(entry.id) || item(entry)));
      page.forEach((entry) => showGroups(document.getElementById(entry.id)));
      const more = document.querySelector('button[data-more="' + section + '"]');
      const rest = shown.length - Math.min(shown.length, limit[section]);
      more.hidden = rest <= 0;
      more.textContent = "show " + Math.min(rest, PAGE) + " more of " + rest;
      if (section === "divergences") {
        const total = entries.filter((entry) => entry.section === section).length;
        document.getElementById("shown").textContent = shown.length + " of " + total + " divergences shown";
      }
    });
  }

  function causeTests(list) {
    if (list.dataset.drawn) return;
    list.dataset.drawn = "1";
    (index.causes[list.dataset.cause] || []).forEach(([number, decisive]) => {
      const entry = entries[number];
      const li = list.appendChild(el("li"));
      const link = li.appendChild(el("a", "", entry.test));
      link.href = "#" + entry.id;
      link.dataset.open = entry.id;
      if (decisive) li.append(" ", el("span", "hint", "(decisive)"));
    });
  }

  // A link to a test (from a root cause, or in the address) draws and opens it, even where
  // the filters or the page would not show it; the cause it came from stays open.
  function reveal(id) {
    if (byId.has(id)) {
      if (!document.getElementById(id)) { pinned.add(id); apply(); }
      const target = document.getElementById(id);
      target.open = true;
      fill(target);
      return;
    }
    const target = document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
    if (target && target.tagName === "LI") {
      const inner = target.querySelector("details");
      if (inner) inner.open = true;
      all("ul.cause-tests", target).forEach(causeTests);
    }
  }

  document.querySelector("form.filters").addEventListener("change", apply);
  document.getElementById("f-text").addEventListener("input", apply);
  all("#matrix a[data-area-link]").forEach((a) => a.addEventListener("click", () => {
    const select = document.getElementById("f-area");
    select.value = select.value === a.dataset.areaLink ? "" : a.dataset.areaLink;
    apply();
  }));
  all("button[data-more]").forEach((button) => button.addEventListener("click", () => {
    limit[button.dataset.more] += PAGE;
    apply();
  }));
  all("li.cause > details").forEach((details) => details.addEventListener("toggle", () => {
    if (details.open) all("ul.cause-tests", details).forEach(causeTests);
  }));
  // Links drawn later (a cause's tests, a test's causes) are handled where they land.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) reveal(link.getAttribute("href").slice(1));
  });
  window.addEventListener("hashchange", () => reveal(location.hash.slice(1)));
  apply();
  if (location.hash) reveal(location.hash.slice(1));
})();
