/* Learner progress in localStorage: pages visited, best quiz results, scenario outcomes. Data read is
 * rebuilt field by field for ids the manifest knows; if storage fails, progress stays in memory and a
 * notice says so. Emits course:progress; hook CourseProgress. On every page: the record, the ticks in the
 * navigation, the home page's resume button, the storage notice; the widgets of the progress and
 * completion pages (cq-progress-page, cq-completion) are in progress-page.js (issue 17 item 3).
 * Tabs: the stored record carries a generation `gen`; a reset or an import starts a new one, and a tab
 * that sees a newer generation (the `storage` event, or before it writes) takes it over instead of
 * merging its older state back in (issue 11 item 6). One figure, CourseProgress.percent(), is 100
 * exactly when the completion rules (pass, finish, read) are met (issue 9 item 8). */
(() => {
  "use strict";
  const Course = (window.Course = window.Course || {}), M = window.COURSE_MANIFEST;
  if (!M || !M.items || !M.pages) return;
  const I = M.items, C = M.completion || {}, OUT = ["failure", "partial", "success"], PAGE = {};
  const own = (o, k) => !!o && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
  const num = (v, hi) => (typeof v === "number" && v >= 0 && v <= hi ? v : null);
  const int = (v, hi) => Math.floor(num(v, hi || 1e14) || 0);
  const str = (v) => (typeof v === "string" && v.length < 200 ? v : "");
  const rank = (o) => OUT.indexOf(o);
  const isQuiz = (id) => I[id].kind === "quiz";
  const kind = (id) => (isQuiz(id) ? "quizzes" : "scenarios");
  const ROOT = ((document.currentScript || {}).src || "").replace(/assets\/course\/progress\.js.*$/, "");
  const blank = () => ({ pages: {}, quizzes: {}, scenarios: {}, name: "", completed: 0, gen: 0 });
  const ends = (v) => (Array.isArray(v) ? [...new Set(v.filter((e) => str(e)))].slice(0, 100) : []);
  M.pages.forEach((p) => (PAGE[p.url] = p));

  // quiz.js keeps optional fields in a quiz's record (issue 9): a (answers, one per question), st (the
  // result shown: passed|failed), c (attempts since the last start), lk (questions locked as right), and
  // for issue 13 d, e, x (below).
  // A record with n 0 (best null) holds answers of a quiz not checked yet.
  const answer = (x) => (x === null || typeof x === "boolean" || (Number.isInteger(x) && x >= 0 && x < 1e3) ? x
    : typeof x === "string" ? x.slice(0, 200) : Array.isArray(x) && x.length <= 100 && x.every((n) => Number.isInteger(n) && n >= 0 && n < 1e3) ? x.slice() : null);
  const quizRecord = (r, best, v, t) => {
    const n = r.n === 0 || best === null ? 0 : Math.max(1, int(r.n)), c = int(r.c, 1e4);
    const q = n ? { best: Math.round(best), passed: r.passed === true, v, n, t } : { best: null, passed: false, v, n: 0, t };
    const lk = Array.isArray(r.lk) ? r.lk.filter((i) => Number.isInteger(i) && i >= 0 && i < 200).slice(0, 200) : [];
    if (Array.isArray(r.a) && r.a.length <= 200) q.a = r.a.map(answer);
    if (r.st === "passed" || r.st === "failed") q.st = r.st;
    if (c) q.c = c;
    if (lk.length) q.lk = lk;
    // issue 13: d (the questions drawn from a pool for this attempt), e (the attempt's deadline, ms since
    // 1970, under a time limit), x (times the learner extended it)
    const d = Array.isArray(r.d) ? r.d.filter((i) => Number.isInteger(i) && i >= 0 && i < 1e3).slice(0, 200) : [];
    if (d.length) q.d = d;
    if (int(r.e)) q.e = int(r.e);
    if (int(r.x, 100)) q.x = int(r.x, 100);
    return n || q.a || q.d || q.e ? q : null;
  };
  const norm = (id, r) => {
    if (!r || typeof r !== "object") return null;
    const v = str(r.v), t = int(r.t), best = isQuiz(id) ? num(r.best, 100) : rank(r.best) >= 0 ? r.best : "";
    if (isQuiz(id)) return quizRecord(r, best, v, t);
    const s = { best, done: !!best && r.done === true, v, steps: int(r.steps, 1e4), t, found: ends(r.found) };
    return s.done || s.steps || s.found.length ? s : null;
  };
  const normalize = (raw) => {
    const s = blank();
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return s;
    M.pages.forEach((p) => { if (own(raw.pages, p.url) && raw.pages[p.url]) s.pages[p.url] = 1; });
    for (const id in I) {
      const k = kind(id), r = own(raw[k], id) && norm(id, raw[k][id]);
      if (r) s[k][id] = r;
    }
    s.name = str(raw.name).slice(0, 120);
    s.completed = int(raw.completed);
    s.gen = int(raw.gen);
    return s;
  };
  // two records (another tab, a file, the LMS) become one: the current version wins, then the best result
  const pick = (id, a, b) => {
    if (!a || !b) return a || b;
    const q = isQuiz(id), cur = I[id].version, ac = a.v === cur && (q || a.done), bc = b.v === cur && (q || b.done);
    const w = ac !== bc ? (ac ? a : b) : (q ? (b.best ?? -1) > (a.best ?? -1) : rank(b.best) > rank(a.best)) ? b : a, late = b.t > a.t ? b : a;
    const kept = late.v === w.v ? late : w; // a quiz's answers in progress: the latest of this version
    const r = Object.assign({}, w, q ? { passed: ac === bc ? a.passed || b.passed : w.passed, n: w.best === null ? 0 : Math.max(a.n, b.n) } : { steps: late.steps, found: a.v === b.v ? ends((a.found || []).concat(b.found || [])) : w.found || [] }, { t: late.t });
    if (q) ["a", "st", "c", "lk", "d", "e", "x"].forEach((f) => (kept[f] !== undefined ? (r[f] = kept[f]) : delete r[f]));
    return r;
  };
  const merge = (a, b) => {
    const s = blank();
    Object.assign(s.pages, a.pages, b.pages);
    for (const id in I) {
      const k = kind(id), r = pick(id, a[k][id], b[k][id]);
      if (r) s[k][id] = r;
    }
    s.name = a.name || b.name;
    s.completed = Math.min(a.completed || b.completed, b.completed || a.completed);
    s.gen = a.gen;
    return s;
  };

  // ------------------------------------------------------------ storage
  const P = (window.CourseProgress = { key: M.storage_key, lms: false, passMarks: {}, defaultName: "", state: null, mode: "ok" });
  const store = () => {
    try { return (!window.__cqStorageBlocked && localStorage) || null; } catch (e) { return null; }
  };
  /* The course's id was renamed (previous_ids in mkdocs.yml): progress this browser kept under an
   * earlier id is taken over once, when there is none under the current one. It stays under the old
   * key (P.from) until the current key is written, then the old key and its scenario places go. */
  const SCN = "cq-scenario:";
  const OLD = (M.previous_ids || []).map((id) => P.key.replace(/^course:[^:]*:/, "course:" + id + ":"));
  const scenarioKeys = (ls, key) => {
    const keys = [];
    for (let i = 0; i < ls.length; i++) if (String(ls.key(i)).indexOf(SCN + key + ":") === 0) keys.push(ls.key(i));
    return keys;
  };
  const adopt = (ls, old) => { // where each scenario is up to, copied to the current key's names
    P.from = old;
    for (const k of scenarioKeys(ls, old)) {
      const mine = SCN + P.key + k.slice((SCN + old).length);
      if (ls.getItem(mine) === null) ls.setItem(mine, ls.getItem(k));
    }
  };
  const drop = (ls, old) => scenarioKeys(ls, old).concat(old).forEach((k) => ls.removeItem(k));
  const read = (ls) => { // a state, or why it cannot be read
    let raw;
    try {
      raw = ls.getItem(P.key);
      for (let i = 0; raw === null && i < OLD.length; i++) {
        raw = ls.getItem(OLD[i]);
        try { if (!(JSON.parse(raw) instanceof Object)) raw = null; } catch (e) { raw = null; } // unreadable: not taken
        if (raw !== null) adopt(ls, OLD[i]);
      }
    } catch (e) { return "blocked"; }
    if (raw === null) return blank();
    try { raw = raw.length > 5e5 ? 0 : JSON.parse(raw); } catch (e) { raw = 0; }
    return raw && typeof raw === "object" && !Array.isArray(raw) ? normalize(raw) : "unreadable";
  };
  const setMode = (m) => { if (P.mode !== m) { P.mode = m; notice(); } };
  P.load = () => {
    if (!P.state) {
      const ls = store(), got = ls ? read(ls) : "blocked", bad = typeof got === "string";
      P.state = bad ? blank() : got;
      P.mode = bad ? got : "ok";
    }
    return P.state;
  };
  // another tab reset or imported progress since this one loaded it: take its generation over
  P.sync = () => {
    const ls = store(), got = ls && P.mode === "ok" ? read(ls) : null;
    if (got && typeof got !== "string" && got.gen > P.load().gen) P.state = got;
    return P.load();
  };
  P.save = (fresh) => {
    const ls = store();
    if (!ls) return setMode("blocked");
    if (P.mode === "unreadable") return; // never overwrite progress we could not read
    try {
      const got = read(ls); // keep what another tab saved meanwhile
      if (typeof got !== "string") {
        if (fresh) P.state = Object.assign(merge(P.state, got), { gen: Math.max(P.state.gen, got.gen) + 1 }); // reset, import
        else P.state = got.gen > P.state.gen ? got : merge(P.state, got);
      }
      ls.setItem(P.key, JSON.stringify(P.state));
      if (P.from) { drop(ls, P.from); P.from = null; } // taken over from an earlier id: now under this one
      setMode("ok");
    } catch (e) {
      setMode(e.name === "QuotaExceededError" || e.code === 22 ? "full" : "blocked");
    }
  };
  const changed = (fresh) => {
    if (P.status().complete && !P.state.completed) P.state.completed = Date.now();
    P.save(fresh);
    Course.emit(document, "course:progress", {});
  };
  P.merge = (other) => { P.state = merge(P.sync(), normalize(other)); changed(true); };
  P.reset = () => {
    const gen = P.load().gen, ls = store(), kept = {};
    // in an LMS, the attempts used on a quiz with an attempt limit outlive the learner's own reset:
    // HR gives attempts back by resetting the learner's record in the LMS (issue 13 item 2)
    if (P.lms) for (const id in P.state.quizzes) {
      const r = P.state.quizzes[id];
      if (I[id] && I[id].attempts && r.n) kept[id] = { best: r.best, passed: r.passed, v: r.v, n: r.n, t: r.t };
    }
    P.state = Object.assign(blank(), { gen, quizzes: kept });
    try {
      ls.removeItem(P.key);
      OLD.forEach((k) => drop(ls, k)); // a reset does not bring back progress kept under an earlier id
      P.from = null;
      if (P.mode === "unreadable") setMode("ok");
      // where each scenario is up to, kept by the player under "cq-scenario:<storage key>:"
      const prefix = "cq-scenario:" + M.storage_key + ":", keys = [];
      for (let i = 0; i < ls.length; i++) if (String(ls.key(i)).indexOf(prefix) === 0) keys.push(ls.key(i));
      keys.forEach((k) => ls.removeItem(k));
    } catch (e) { /* notice stays */ }
    changed(true);
  };
  // another tab saved: show it here too; a newer generation (reset, import) replaces what this tab holds
  window.addEventListener("storage", (e) => {
    if (e.key !== P.key || !P.state || P.mode !== "ok" || e.newValue === null) return;
    const ls = store(), got = ls && read(ls);
    if (!got || typeof got === "string") return;
    P.state = got.gen > P.state.gen ? got : got.gen < P.state.gen ? P.state : merge(P.state, got);
    Course.emit(document, "course:progress", {});
  });

  // ------------------------------------------------------------ what counts as done
  P.passMark = (id) => (own(P.passMarks, id) ? P.passMarks[id] : I[id].pass_mark);
  P.quizPassed = (id) => {
    const r = P.load().quizzes[id];
    return !!r && (own(P.passMarks, id) ? r.best >= P.passMarks[id] : r.passed);
  };
  P.itemDone = (id) => (isQuiz(id) ? P.quizPassed(id) : !!(P.load().scenarios[id] || {}).done);
  P.pageDone = (url) => !!P.load().pages[url] && PAGE[url].items.every(P.itemDone);
  P.required = () => (C.pass || []).concat(C.finish || []).filter((id) => I[id]);
  P.toRead = () => (C.read || []).filter((u) => own(PAGE, u));
  P.status = () => {
    const missing = P.required().filter((id) => !P.itemDone(id)), unread = P.toRead().filter((u) => !P.load().pages[u]);
    const a = I[C.assessment] ? C.assessment : null, r = a && P.load().quizzes[a];
    return { complete: !missing.length && !unread.length, missing, unread,
      assessment: a && { id: a, best: r && r.n ? r.best : null, passed: P.quizPassed(a), mark: P.passMark(a) } };
  };
  // the course figure: share of what the completion rules ask for; 100 exactly when they are met
  P.percent = () => {
    const st = P.status(), all = P.required().length + P.toRead().length, left = st.missing.length + st.unread.length;
    return st.complete ? 100 : Math.min(99, Math.floor((100 * (all - left)) / (all || 1)));
  };
  // once complete the certificate; else the first learner page (navigation order) not done yet
  P.next = () => {
    const pages = M.pages.filter((p) => !p.tool), cert = M.pages.find((p) => p.tool === "completion");
    const open = (P.status().complete && cert) || pages.find((p, i) => i && !P.pageDone(p.url)) || pages.find((p) => !P.pageDone(p.url));
    return (open || cert || pages[pages.length - 1] || {}).url;
  };
  P.urlOf = (href) => {
    let u = String(href).split(/[?#]/)[0];
    if (!ROOT || u.indexOf(ROOT)) return null;
    u = u.slice(ROOT.length) || "index.html";
    if (u.slice(-1) === "/") u += "index.html";
    // the manifest's canonical form: percent-decoded, NFC (issue 10 item 8; builder/manifest.py)
    try { u = decodeURIComponent(u); } catch (e) { /* keep it */ }
    if (u.normalize) u = u.normalize("NFC");
    if (!own(PAGE, u) && /(^|\/)index\.html$/.test(u)) u = u.slice(0, -10); // use_directory_urls: "x/"
    return own(PAGE, u) ? u : null;
  };

  // ------------------------------------------------------------ recording
  const record = (id, quiz, f) => {
    if (!own(I, id) || isQuiz(id) !== quiz) return;
    const s = P.sync(), k = kind(id);
    s[k][id] = f(s[k][id]);
    changed();
  };
  document.addEventListener("course:answered", (e) => {
    const d = e.detail || {}, pct = num(d.percent, 100), v = str(d.version) || str((I[d.quiz] || {}).version);
    if (pct !== null) record(d.quiz, true, (old) => {
      const r = { best: Math.round(pct), passed: d.passed === true, v, n: 1, t: Date.now() };
      return !old || old.v !== v ? r : Object.assign(r, { best: Math.max(r.best, old.best), passed: r.passed || old.passed, n: old.n + 1 });
    });
  });
  document.addEventListener("course:scenario", (e) => {
    const d = e.detail || {}, v = str(d.version), end = rank(d.ending) >= 0 && d.ending;
    record(d.scenario, false, (old) => {
      const r = Object.assign({ best: "", done: false, v, found: [] }, old, { steps: Array.isArray(d.path) ? Math.min(d.path.length, 1e4) : 0, t: Date.now() });
      if (r.v !== v) r.found = []; // endings found are counted per scenario version
      if (end && (!r.done || r.v !== v || rank(end) > rank(r.best))) Object.assign(r, { best: end, done: true, v });
      if (!r.done) r.v = v;
      if (end && r.v === v && str(d.node)) r.found = ends((r.found || []).concat([d.node]));
      return r;
    });
  });

  // ------------------------------------------------------------ on the page
  const el = (tag, attrs, kids) => {
    const n = document.createElement(tag);
    for (const k in attrs) if (attrs[k] != null) k === "text" ? (n.textContent = attrs[k]) : n.setAttribute(k, attrs[k]);
    (kids || []).forEach((c) => c && n.append(c));
    return n;
  };
  const tick = (t) => el("span", { class: "cq-tick" }, [el("span", { "aria-hidden": "true", text: "\u2713" }), el("span", { class: "cq-visually-hidden", text: t })]);
  const a = (url, text) => el("a", { href: ROOT + url, text });
  // interface strings of the course's language (Course.msg in course.js, issue 14)
  const T = (key, params) => Course.msg(key, params), TN = (key, params) => Course.msgNodes(key, params);
  const NOTE = { blocked: "progress.storage_blocked", full: "progress.storage_full", unreadable: "progress.storage_unreadable" };
  const notice = () => {
    let box = document.querySelector(".cq-storage-notice");
    const host = document.querySelector(".md-content__inner"), t = !P.lms && NOTE[P.mode];
    if (!box && t && host) host.prepend((box = el("p", { class: "cq-storage-notice", role: "status" })));
    if (box) box.textContent = t ? T(t) : "";
  };
  const marks = () => document.querySelectorAll(".md-nav--primary a.md-nav__link[href]").forEach((link) => {
    const u = P.urlOf(link.href), on = u !== null && !PAGE[u].tool && P.pageDone(u), m = link.querySelector(".cq-tick");
    if (on && !m) link.append(tick(T("progress.tick_completed")));
    else if (!on && m) m.remove();
  });
  // for the progress and completion pages' widgets (progress-page.js, loaded only on those pages)
  P.dom = { el, tick, a };

  // the home page: one button that starts the course or goes on where the learner left off
  const HOME = (M.pages.find((p) => p.url === "index.html") || M.pages[0] || {}).url;
  const resume = () => {
    const host = document.querySelector(".md-content__inner");
    if (!host || !HOME || P.urlOf(location.href) !== HOME) return;
    let box = host.querySelector(".cq-resume");
    if (!box) {
      box = el("div", { class: "cq-resume" }, [el("a", { class: "md-button md-button--primary", "data-action": "resume" }), el("p", { class: "cq-resume__figure" })]);
      const h1 = host.querySelector("h1");
      h1 ? h1.after(box) : host.prepend(box);
    }
    const s = P.load(), started = Object.keys(s.pages).some((u) => u !== HOME) || Object.keys(s.quizzes).length + Object.keys(s.scenarios).length > 0;
    const st = P.status(), to = started ? P.next() : (M.pages.find((p) => !p.tool && p.url !== HOME) || {}).url, pct = P.percent();
    const link = box.firstChild;
    link.textContent = T(!started ? "resume.start" : st.complete ? "resume.complete" : "resume.resume");
    link.setAttribute("href", ROOT + (to || HOME));
    link.setAttribute("data-state", !started ? "start" : st.complete ? "complete" : "resume");
    box.lastChild.hidden = !started;
    const figure = el("strong", { "data-course-percent": pct, text: Course.formatPercent(pct) });
    box.lastChild.replaceChildren(...(started && !st.complete && to && PAGE[to] ? TN("resume.figure_next", { percent: figure, title: PAGE[to].title }) : TN("resume.figure", { percent: figure })));
  };

  document.addEventListener("course:ready", () => {
    const url = P.urlOf(location.href);
    if (url !== null && !P.sync().pages[url]) { P.state.pages[url] = 1; changed(); } // "": the home page with directory URLs
    resume();
    marks();
    notice();
  });
  document.addEventListener("course:progress", marks);
  document.addEventListener("course:progress", resume);
})();
