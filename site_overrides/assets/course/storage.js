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
