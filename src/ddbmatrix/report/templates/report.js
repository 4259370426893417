// Filters: which backends, area, classes and baseline status to show. A divergence stays
// visible while at least two of its groups hold a shown backend: hiding a backend hides the
// differences that only it had.
(function () {
  "use strict";
  const all = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const value = (id) => { const el = document.getElementById(id); return el ? el.value : ""; };

  function apply() {
    const hidden = new Set(all("input.f-backend").filter((i) => !i.checked).map((i) => i.value));
    const classes = new Set(all("input.f-class").filter((i) => i.checked).map((i) => i.value));
    const area = value("f-area");
    const status = value("f-status");
    const text = value("f-text").trim().toLowerCase();
    all("[data-backend]").forEach((el) => { el.hidden = hidden.has(el.dataset.backend); });
    all("#matrix tr[data-area]").forEach((tr) => tr.classList.toggle("selected", tr.dataset.area === area));
    const divergences = all("#divergence-list details.divergence");
    let shown = 0;
    divergences.forEach((d) => {
      const groups = JSON.parse(d.dataset.groups);
      const visible = groups.map((backends) => backends.some((b) => !hidden.has(b)));
      const show = visible.filter(Boolean).length >= 2
        && (!area || d.dataset.area === area)
        && d.dataset.classes.split(" ").some((c) => classes.has(c))
        && (!status || d.dataset.status === status)
        && (!text || d.dataset.test.toLowerCase().includes(text));
      d.hidden = !show;
      if (show) shown += 1;
      all("[data-group]", d).forEach((el) => { el.hidden = !visible[Number(el.dataset.group)]; });
    });
    document.getElementById("shown").textContent =
      shown + " of " + divergences.length + " divergences shown";
  }

  document.querySelector("form.filters").addEventListener("change", apply);
  document.getElementById("f-text").addEventListener("input", apply);
  all("#matrix a[data-area-link]").forEach((a) => a.addEventListener("click", () => {
    const select = document.getElementById("f-area");
    select.value = select.value === a.dataset.areaLink ? "" : a.dataset.areaLink;
    apply();
  }));
  // A link to a test (from a root cause) opens it, and the cause it came from stays open.
  function reveal(id) {
    const target = document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
    if (target && target.tagName === "LI") {
      const inner = target.querySelector("details");
      if (inner) inner.open = true;
    }
  }
  all("a[data-open]").forEach((a) => a.addEventListener("click", () => reveal(a.dataset.open)));
  all("ul.test-causes a").forEach((a) => a.addEventListener("click", () => reveal(a.getAttribute("href").slice(1))));
  if (location.hash) reveal(location.hash.slice(1));
  apply();
})();
