/* Learner progress in localStorage: pages visited, best quiz results, scenario outcomes. Data read is
 * rebuilt field by field for ids the manifest knows; if storage fails, progress stays in memory and a
 * notice says so. Emits course:progress; widgets cq-progress-page, cq-completion; hook CourseProgress.
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
  const read = (ls) => { // a state, or why it cannot be read
    let raw;
    try { raw = ls.getItem(P.key); } catch (e) { return "blocked"; }
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
  const NOTE = { blocked: "Your browser is not letting this course save anything", full: "Your browser's storage for this site is full",
    unreadable: "Your saved progress could not be read (to save again, reset it on the My progress page)" };
  const notice = () => {
    let box = document.querySelector(".cq-storage-notice");
    const host = document.querySelector(".md-content__inner"), t = !P.lms && NOTE[P.mode];
    if (!box && t && host) host.prepend((box = el("p", { class: "cq-storage-notice", role: "status" })));
    if (box) box.textContent = t ? t + ", so your progress will not be saved. It is kept only while this page is open." : "";
  };
  const marks = () => document.querySelectorAll(".md-nav--primary a.md-nav__link[href]").forEach((link) => {
    const u = P.urlOf(link.href), on = u !== null && !PAGE[u].tool && P.pageDone(u), m = link.querySelector(".cq-tick");
    if (on && !m) link.append(tick("completed"));
    else if (!on && m) m.remove();
  });
  const itemText = (id) => {
    const r = P.load()[kind(id)][id], q = isQuiz(id), mark = ` (pass mark ${P.passMark(id)}%)`;
    const old = r && r.v && r.v !== I[id].version && (r.done || q) ? ` (from an earlier version of this ${q ? "quiz" : "scenario"})` : "";
    if (q) return r && r.n ? `${P.quizPassed(id) ? "Passed" : "Not passed yet"}: best score ${r.best}%${mark}${r.n > 1 ? `, ${r.n} tries` : ""}${old}` : "Not tried yet" + mark;
    if (r && r.done) return `Finished: best outcome ${{ success: "Success", partial: "Partial success", failure: "Did not go well" }[r.best]}${old}`;
    return r ? `In progress: ${r.steps} choice${r.steps === 1 ? "" : "s"} made so far` : "Not started";
  };
  const itemLine = (id, where) => {
    const ok = P.itemDone(id), url = I[id].pages[0], label = (isQuiz(id) ? "Quiz: " : "Scenario: ") + I[id].title;
    return el("li", { class: "cq-item" }, [ok ? tick("done") : el("span", { class: "cq-todo", "aria-hidden": "true" }),
      url && (where || !ok) ? a(url, label) : label, " \u2014 ", el("span", { class: "cq-item__status", text: itemText(id) }),
      where && url && el("span", { class: "cq-item__page", text: ` (on \u201c${PAGE[url].title}\u201d)` })]);
  };

  // ------------------------------------------------------------ My progress
  const sections = () => (M.nav && M.nav.length ? M.nav : [{ pages: M.pages.map((p) => p.url) }])
    .map((s) => ({ title: s.title, pages: s.pages.filter((u) => PAGE[u] && !PAGE[u].tool) })).filter((s) => s.pages.length);
  const active = (s) => s.pages.some((u) => PAGE[u].items.length);
  const count = (list, f) => list.filter(f).length;
  const summary = (st) => {
    const ids = (k) => Object.keys(I).filter((id) => I[id].kind === k && I[id].pages.length), q = ids("quiz"), sc = ids("scenario");
    const all = sections(), urls = [].concat(...all.map((s) => s.pages)), n = count(urls, P.pageDone), read = P.toRead();
    const pct = P.percent(), bar = el("span"), left = st.missing.length + st.unread.length;
    const cert = (M.pages.find((p) => p.tool === "completion") || {}).url;
    bar.style.width = pct + "%";
    return el("div", { class: "cq-summary" + (st.complete ? " cq-summary--done" : "") }, [
      el("p", { class: "cq-summary__headline" }, [el("strong", { "data-course-percent": pct, text: pct + "%" }), " of the course done"]),
      el("div", { class: "cq-bar", role: "img", "aria-label": pct + "% of the course done" }, [bar]),
      el("p", { text: `Quizzes passed: ${count(q, P.quizPassed)} of ${q.length}. Scenarios finished: ${count(sc, P.itemDone)} of ${sc.length}.` +
        (read.length ? ` Pages to read: ${read.length - st.unread.length} of ${read.length} read.` : "") + ` Pages complete: ${n} of ${urls.length}.` }),
      el("p", { class: "cq-summary__status" }, st.complete ? [tick(""), " You have completed the course. ", cert && a(cert, "Print your certificate")]
        : [`To complete the course: ${left} thing${left === 1 ? "" : "s"} left. `, cert && a(cert, "See what is left")])]);
  };
  const row = (url) => {
    const p = PAGE[url], done = P.pageDone(url);
    return el("li", { class: "cq-page" + (done ? " cq-page--done" : "") }, [done ? tick("") : el("span", { class: "cq-todo", "aria-hidden": "true" }),
      a(url, p.title), " \u2014 ", el("span", { class: "cq-item__status", text: done ? "Done" : !P.load().pages[url] ? "Not visited" : p.items.length ? "Started" : "Read" }),
      p.items.length && el("ul", { class: "cq-items" }, p.items.map((id) => itemLine(id)))]);
  };

  // both widgets take their wording and buttons from the page (content/progress.md, completion.md)
  class ProgressPage {
    constructor(root) {
      const q = (s) => root.querySelector(s), file = q("#cq-import-file"), msg = q("[data-msg]"), tools = q("[data-progress-tools]");
      const act = (name, f) => (q(`[data-action="${name}"]`).onclick = f), say = (k) => (msg.textContent = msg.dataset[k]);
      this.view = q("[data-progress-view]") || root.appendChild(el("div"));
      root.classList.add("cq-js");
      document.addEventListener("course:progress", () => this.render());
      this.render();
      if (!tools) return; // a bare <div data-module="cq-progress-page"> shows progress only
      tools.hidden = false;
      act("export", () => {
        const data = { format: "course-progress", course: M.id, title: M.title, course_version: M.version, exported: new Date().toISOString(), progress: P.load() };
        const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })),
          download: `${M.id}-progress-${data.exported.slice(0, 10)}.json` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 1e3);
        say("exported");
      });
      act("import", () => file.click());
      file.onchange = () => {
        const f = file.files[0];
        file.value = "";
        if (f) (f.size > 1e6 ? Promise.reject() : f.text()).then((text) => {
          let data = null;
          try { data = JSON.parse(text); } catch (e) { /* not JSON */ }
          if (!own(data, "progress") || data.format !== "course-progress") return say("wrong");
          if (data.course !== M.id && !(M.previous_ids || []).includes(data.course)) return say("other");
          P.merge(data.progress);
          say("loaded");
        }).catch(() => say("unreadable"));
      };
      act("reset", () => { q("[data-confirm]").hidden = false; q('[data-action="no"]').focus(); });
      act("no", () => { q("[data-confirm]").hidden = true; q('[data-action="reset"]').focus(); });
      act("yes", () => { P.reset(); q('[data-action="no"]').click(); say("reset"); });
    }
    render() {
      this.view.replaceChildren(summary(P.status()), ...sections().map((sec, i) => {
        const list = el("ul", { class: "cq-items cq-pages" }, sec.pages.map(row));
        const head = el(active(sec) ? "h2" : "summary", { text: `${sec.title || (i ? "Other pages" : "Start here")}: ${count(sec.pages, P.pageDone)} of ${sec.pages.length} done` });
        return active(sec) ? el("section", {}, [head, list]) : el("details", { class: "cq-section" }, [head, list]);
      }));
    }
  }

  class Completion {
    constructor(root) {
      const q = (this.q = (s) => root.querySelector(s)), input = q("#cq-cert-name"), msg = q("[data-msg]");
      root.classList.add("cq-js");
      if (!input) { // a bare <div data-module="cq-completion">: the checklist only
        root.append(el("ul", { class: "cq-items", "data-requirements": "" }));
        this.q = (s) => q(s) || {};
        document.addEventListener("course:progress", () => this.render());
        return this.render();
      }
      input.oninput = () => {
        if (input.value.trim()) msg.textContent = ""; // "type your name first" no longer applies
        P.load().name = input.value.trim().slice(0, 120);
        P.save();
        this.render();
      };
      q('[data-action="print"]').onclick = () => {
        msg.textContent = input.value.trim() ? "" : msg.dataset.empty;
        msg.textContent ? input.focus() : window.print();
      };
      document.addEventListener("course:progress", () => this.render());
      this.render();
    }
    render() {
      const q = this.q, st = P.status(), s = P.load(), as = st.assessment, name = s.name || P.defaultName, score = as && as.best !== null;
      const set = (k, v) => (q(`[data-cert="${k}"]`).textContent = v);
      q('[data-when="incomplete"]').hidden = st.complete;
      q('[data-when="complete"]').hidden = !st.complete;
      document.body.classList.toggle("cq-has-certificate", st.complete && !!q("#cq-cert-name").id);
      const list = q("[data-requirements]");
      list.replaceChildren(...P.required().map((id) => itemLine(id, 1)));
      this.reading(list, st);
      if (document.activeElement !== q("#cq-cert-name")) q("#cq-cert-name").value = name;
      set("name", name || "\u00a0");
      set("title", M.title);
      set("date", new Date(s.completed || Date.now()).toLocaleDateString(document.documentElement.lang || undefined, { year: "numeric", month: "long", day: "numeric" }));
      set("score", score ? as.best + "%" : "");
      set("version", M.version);
      set("author", M.author || "");
      q("[data-cert-score]").hidden = !score;
      q("[data-cert-issuer]").hidden = !M.author;
    }
    // pages the rules ask to be read (completion: read), in a list of their own after the checklist
    reading(list, st) {
      if (!list.after) return;
      let box = this.readBox, pct = this.pctLine;
      if (!pct) {
        pct = this.pctLine = el("p", { class: "cq-completion__percent" });
        list.before(pct);
      }
      pct.replaceChildren("So far you have done ", el("strong", { "data-course-percent": P.percent(), text: P.percent() + "%" }), " of what completing the course needs.");
      const read = P.toRead();
      if (!box && read.length) {
        box = this.readBox = el("div", { class: "cq-read" }, [el("p", { class: "cq-read__lead" }), el("ul", { class: "cq-items", "data-read-requirements": "" })]);
        list.after(box);
      }
      if (!box) return;
      box.firstChild.textContent = `Pages to read: ${read.length - st.unread.length} of ${read.length} read`;
      box.lastChild.replaceChildren(...read.map((u) => {
        const ok = !!P.load().pages[u];
        return el("li", { class: "cq-item" }, [ok ? tick("done") : el("span", { class: "cq-todo", "aria-hidden": "true" }),
          a(u, PAGE[u].title), " \u2014 ", el("span", { class: "cq-item__status", text: ok ? "Read" : "Not read yet" })]);
      }));
    }
  }

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
    link.textContent = !started ? "Start the course" : st.complete ? "You have completed the course: see your certificate" : "Resume where you left off";
    link.setAttribute("href", ROOT + (to || HOME));
    link.setAttribute("data-state", !started ? "start" : st.complete ? "complete" : "resume");
    box.lastChild.hidden = !started;
    box.lastChild.replaceChildren(el("strong", { "data-course-percent": pct, text: pct + "%" }), " of the course done" + (started && !st.complete && to && PAGE[to] ? `. Next: ${PAGE[to].title}.` : "."));
  };

  Course.register("cq-progress-page", ProgressPage);
  Course.register("cq-completion", Completion);
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
