/* In <head>, before the theme's scripts: where the browser blocks web storage (reading it throws),
 * an in-memory stand-in takes its place so no script fails; progress.js then warns the learner. */
(() => {
  for (const name of ["localStorage", "sessionStorage"]) {
    try { if (window[name]) continue; } catch (e) { /* blocked */ }
    const data = new Map();
    const mem = { getItem: (k) => (data.has("" + k) ? data.get("" + k) : null), setItem: (k, v) => data.set("" + k, "" + v),
      removeItem: (k) => data.delete("" + k), clear: () => data.clear(), key: (i) => [...data.keys()][i] || null, get length() { return data.size; } };
    try { Object.defineProperty(window, name, { configurable: true, value: mem }); window.__cqStorageBlocked = 1; } catch (e) { /* keep the guards */ }
  }
})();

/* Material keeps its own settings under "<site path>.__name" (JSON, read with JSON.parse and used
 * without checks): a corrupt or foreign value there made its scripts throw on every page. Values
 * that are not what Material itself writes are removed before its scripts read them (issue 11 item 9). */
(() => {
  const obj = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const str = (v) => typeof v === "string";
  const shapes = {
    __palette: (v) => obj(v) && Number.isInteger(v.index) && v.index >= 0 && obj(v.color)
      && Object.keys(v.color).every((k) => ["media", "scheme", "primary", "accent"].includes(k) && str(v.color[k])),
    __tabs: (v) => Array.isArray(v) && v.every(str),
    __consent: (v) => obj(v) && Object.values(v).every((x) => typeof x === "boolean"),
    __announce: (v) => Number.isFinite(v),
    __source: (v) => obj(v) && Object.values(v).every((x) => str(x) || Number.isFinite(x)),
    __outdated: (v) => obj(v),
  };
  for (const name of ["localStorage", "sessionStorage"]) {
    try {
      const store = window[name], bad = [];
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i), m = /\.(__[A-Za-z]+)$/.exec(key || "");
        if (!m) continue;
        let ok = false;
        try { const v = JSON.parse(store.getItem(key)); ok = shapes[m[1]] ? shapes[m[1]](v) : true; } catch (e) { /* not JSON */ }
        if (!ok) bad.push(key);
      }
      bad.forEach((key) => store.removeItem(key));
    } catch (e) { /* storage unavailable: the stand-in above has no theme keys */ }
  }
  /* The "automatic" palette (media "(prefers-color-scheme)", the learner's choice to follow the
   * system) is kept. Material's header script resolves it to the page's light or dark option, and
   * throws when the page has none (a site without such options). So __md_get, defined by the theme
   * after this script, is wrapped: there, an automatic value reads as "nothing saved" (the site's
   * default palette), and stays stored for the pages and sites that can follow it. */
  const auto = (v) => !!v && !!v.color && v.color.media === "(prefers-color-scheme)";
  const follows = () => ["light", "dark"].every((m) =>
    document.querySelector(`[data-md-color-media="(prefers-color-scheme: ${m})"]`));
  let get;
  try {
    Object.defineProperty(window, "__md_get", {
      configurable: true,
      get: () => get,
      set: (f) => {
        get = typeof f !== "function" ? f : function (key) {
          const v = f.apply(this, arguments);
          return key === "__palette" && auto(v) && !follows() ? null : v;
        };
      },
    });
  } catch (e) { /* the theme's own __md_get stays */ }
})();

/* No CDN, ever (issue 11 item 8): the theme fetches Mermaid from unpkg.com for any <pre class="mermaid">
 * unless a `mermaid` exists. This inert one keeps the diagram's text on the page and fetches nothing;
 * a copy of Mermaid vendored through extra_javascript loads later and replaces it. */
if (typeof window.mermaid === "undefined") window.mermaid = { initialize() {}, render: () => new Promise(() => {}) };
