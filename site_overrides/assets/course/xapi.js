/* xAPI glue (issue 15), loaded only when mkdocs.yml sets `xapi:` (COURSE_MANIFEST.xapi). Widget-
 * independent: it listens to the course events (course:answered, course:scenario, course:progress)
 * and sends xAPI 1.0.3 statements to <endpoint>statements on the site's own origin; the web server
 * proxies that path to the LRS and adds the credentials (content/hr/xapi.md).
 *
 * Statements (ADL verbs; activity ids <activity_base><course>[/quiz/<id>[/question/<id>]] and
 * [/scenario/<id>[/node/<id>]]):
 *   initialized / terminated   the course, once per session (a tab; 30 minutes idle starts a new one);
 *                              terminated goes out when the learner leaves the course (tab closed,
 *                              another site), not at each page, and is the session's last statement
 *   answered                   each quiz question (response, success, duration) and each scenario choice
 *   passed / failed            a quiz, with score.scaled
 *   attempted / completed      a scenario play-through starts / reaches an ending (ending, meters, path)
 *   completed                  the course, once its completion rules are met
 * Learner: the JSON Agent the `identity` URL answers (set by the single sign-on at the proxy), else
 * the name and email given on the certificate page; until then statements wait in this browser.
 * Every statement gets its UUID when it happens and waits in localStorage until the LRS took it, so an
 * LRS that cannot be reached loses nothing and a statement is never stored twice. */
(() => {
  "use strict";
  const M = window.COURSE_MANIFEST, X = M && M.xapi;
  if (!X || !X.endpoint || !/^https?:$/.test(location.protocol) || !window.fetch || !window.JSON) return;
  // In a cmi5 package (builder/package/cmi5.py) the statements go through the launch page, which adds
  // the LMS's registration and context and sends them to the LMS's LRS; there the launch page itself
  // sends the session and course statements (cmi5 defined), so this script sends only the rest.
  let LMS = null;
  try { LMS = window.parent !== window && window.parent.CourseCmi5 && window.parent.CourseCmi5.record ? window.parent.CourseCmi5 : null; } catch (e) { /* another site's frame */ }
  if (!!X.cmi5 !== !!LMS) return;
  const ROOT = ((document.currentScript || {}).src || "").replace(/assets\/course\/xapi\.js.*$/, "") || location.href;
  const abs = (p) => new URL(p, p.charAt(0) === "/" ? location.origin : ROOT).href;
  const LRS = abs(X.endpoint) + "statements", WHO = X.identity ? abs(X.identity) : "", EXT = X.extensions;
  const BASE = X.activity_base + M.id, KEY = "cq-xapi:" + M.storage_key + (LMS ? ":" + LMS.registration : ""), GAP = 30 * 60e3, MAX = 5000, BATCH = 50;
  const ADL = "http://adlnet.gov/expapi/verbs/", ACT = "http://adlnet.gov/expapi/activities/";
  const LANG = (document.documentElement.lang || "en").replace(/[^A-Za-z0-9-]/g, "") || "en";
  const warn = (t) => window.console && console.warn("course xAPI: " + t);

  // ------------------------------------------------------------ storage
  const uuid = () => {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  let memory = null; // when storage is blocked: this page only
  const load = () => {
    let s = null;
    try { s = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { s = memory; }
    s = s && typeof s === "object" ? s : memory || {};
    if (!Array.isArray(s.queue)) s.queue = [];
    if (!s.reg) s.reg = uuid();
    s.att = s.att && typeof s.att === "object" ? s.att : {};
    return s;
  };
  const save = (s) => {
    memory = s;
    if (s.queue.length > MAX) s.queue.splice(0, s.queue.length - MAX);
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* kept in memory for this page */ }
  };
  const update = (f) => { const s = load(); const r = f(s); save(s); return r; };
  let session = null;
  try { session = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { /* none */ }
  const keepSession = () => { try { sessionStorage.setItem(KEY, JSON.stringify(session)); } catch (e) { /* memory */ } };

  // ------------------------------------------------------------ learner
  const agent = (a) => {
    if (!a || typeof a !== "object") return null;
    const out = { objectType: "Agent" };
    if (typeof a.name === "string" && a.name.trim()) out.name = a.name.trim().slice(0, 200);
    if (typeof a.mbox === "string" && /^mailto:[^@\s]+@[^@\s]+$/.test(a.mbox)) out.mbox = a.mbox;
    else if (a.account && typeof a.account.homePage === "string" && /^https?:\/\/\S+$/.test(a.account.homePage) &&
      typeof a.account.name === "string" && a.account.name) out.account = { homePage: a.account.homePage, name: a.account.name };
    else if (typeof a.mbox_sha1sum === "string" && /^[0-9a-f]{40}$/.test(a.mbox_sha1sum)) out.mbox_sha1sum = a.mbox_sha1sum;
    else return null;
    return out;
  };
  let actor = null;

  // ------------------------------------------------------------ statements
  let lastTs = 0;
  const verb = (v) => ({ id: ADL + v, display: { "en-US": v } });
  const text = (el, n) => (el ? el.textContent.replace(/\s+/g, " ").trim().slice(0, n || 500) : "");
  const activity = (id, type, name, more) => {
    const def = Object.assign({ type: ACT + type }, name ? { name: { [LANG]: name } } : {}, more || {});
    return { objectType: "Activity", id, definition: def };
  };
  const COURSE = () => activity(BASE, "course", M.title);
  const iso = (ms) => { // ISO 8601 duration, e.g. PT1M5.25S
    const s = Math.max(0, ms) / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + Math.round((s % 60) * 100) / 100 + "S";
  };
  const context = (parent, ext) => {
    const c = { registration: load().reg, language: LANG, platform: "course builder",
      extensions: Object.assign({ [EXT + "session"]: session ? session.id : "-", [EXT + "course-version"]: M.version || "-" }, ext || {}) };
    if (parent) c.contextActivities = { parent: [{ objectType: "Activity", id: parent }], grouping: [{ objectType: "Activity", id: BASE }] };
    return c;
  };
  const statement = (v, object, result, ctx) => {
    const now = Math.max(Date.now(), lastTs + 1);
    lastTs = now;
    const st = { id: uuid(), verb: verb(v), object, context: ctx || context(), timestamp: new Date(now).toISOString() };
    if (result) st.result = result;
    if (actor) st.actor = actor;
    return st;
  };
  const enqueue = (...list) => { update((s) => s.queue.push(...list)); flushSoon(); };

  // ------------------------------------------------------------ sending (exactly once: ids are fixed)
  let sending = false, timer = 0, backoff = 2e3, inflight = new Set(); // ids the running flush sent, unconfirmed
  const flushSoon = (ms) => { clearTimeout(timer); timer = setTimeout(flush, ms || 50); };
  const post = (list, keepalive) => LMS ? LMS.record(list) : fetch(LRS, {
    method: "POST", credentials: "same-origin", keepalive: !!keepalive, cache: "no-store",
    headers: { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" }, body: JSON.stringify(list)
  });
  const put = (st) => fetch(LRS + "?statementId=" + encodeURIComponent(st.id), {
    method: "PUT", credentials: "same-origin", cache: "no-store",
    headers: { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" }, body: JSON.stringify(st)
  });
  const ready = () => load().queue.filter((st) => st.actor || actor).slice(0, BATCH).map((st) => (st.actor ? st : Object.assign({ actor }, st)));
  const drop = (ids) => update((s) => {
    const gone = new Set(ids);
    s.queue = s.queue.filter((st) => !gone.has(st.id));
  });
  const flush = async () => {
    if (sending) return;
    const batch = ready();
    if (!batch.length) return;
    sending = true;
    inflight = new Set(batch.map((st) => st.id));
    let again = false;
    try {
      const r = await post(batch);
      if (r.ok) { drop(batch.map((st) => st.id)); again = true; backoff = 2e3; }
      else if (!LMS && (r.status === 409 || r.status === 400)) {
        // some were stored already (a page closed before the answer came) or one is refused: one by one
        const done = [];
        for (const st of batch) {
          const one = await put(st);
          if (one.ok || one.status === 409) done.push(st.id);
          else if (one.status === 400) { done.push(st.id); warn(`the LRS refused statement ${st.id} (${await one.text()})`); }
        }
        drop(done);
        again = done.length === batch.length;
      } else warn(`the LRS answered ${r.status}; statements wait in this browser`);
    } catch (e) {
      /* offline or the LRS is down: keep them */
    }
    sending = false;
    inflight = new Set();
    if (again) flushSoon();
    else if (load().queue.length) { flushSoon(backoff); backoff = Math.min(backoff * 2, 5 * 60e3); }
  };
  window.CourseXapi = { flush, queue: () => load().queue, actor: () => actor };
  addEventListener("online", () => flushSoon());

  // ------------------------------------------------------------ course session
  const begin = () => {
    if (LMS) return;
    const now = Date.now();
    const term = update((s) => { const t = s.term; delete s.term; return t; });
    const same = term && session && term.session === session.id && now - term.at < GAP;
    if (term && !same) enqueue(term.statement); // the session really ended back then
    if (!session || now - (session.last || 0) > GAP || (term && !same && term.session === session.id)) {
      session = { id: uuid(), start: now };
      session.last = now;
      keepSession();
      enqueue(statement("initialized", COURSE()));
    }
    session.last = now;
    keepSession();
  };
  // The session ends when the learner leaves the course, not at each page of a multi-page course
  // (cmi5 section 9.3.8: exactly one terminated a session, its last statement). A page knows it is
  // left for another course page when the learner follows a link into the course or the Navigation
  // API announces a course address (links, forms, scripts, back/forward); then the terminated
  // statement waits in storage and the next page takes it back. Any other pagehide (closing the tab
  // or window, another site, an address typed by hand) ends the session: terminated goes out at once
  // with fetch keepalive, which outlives the page, and stays queued until the LRS confirms it.
  let onward = 0; // when a cross-document navigation to a course page started
  const inCourse = (href) => { try { const u = new URL(href, location.href); return u.origin === location.origin && u.href.startsWith(ROOT) && !/\/assets\/|\/xapi\//.test(u.pathname.slice(new URL(ROOT).pathname.length - 1)); } catch (e) { return false; } };
  if (window.navigation && navigation.addEventListener) {
    navigation.addEventListener("navigate", (e) => {
      if (!e.destination.sameDocument && !e.downloadRequest && inCourse(e.destination.url)) onward = Date.now();
    });
  }
  document.addEventListener("click", (e) => { // browsers without the Navigation API
    const a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (!a || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.hasAttribute("download")) return;
    if ((a.target && a.target !== "_self") || !inCourse(a.href) || a.href.split("#")[0] === location.href.split("#")[0]) return;
    setTimeout(() => { if (!e.defaultPrevented) onward = Date.now(); }); // Material's instant navigation keeps the page
  });
  const pending = (st) => update((s) => (s.term = { session: session.id, at: Date.now(), statement: st }));
  const end = (e) => {
    if (!session || LMS) return;
    const st = statement("terminated", COURSE(), { duration: iso(Date.now() - session.start) });
    if (Date.now() - onward < 15e3) { // another course page follows: it takes the statement back
      pending(st);
      if (actor) post(ready().filter((x) => !inflight.has(x.id)), true).catch(() => {}); // best effort
      return;
    }
    update((s) => { delete s.term; s.queue.push(st); });
    session = null;
    try { sessionStorage.removeItem(KEY); } catch (err) { /* gone with the tab */ }
    if (!actor) return; // waits in the queue for the learner's name
    const last = [];
    let size = 2;
    for (const x of load().queue.slice().reverse()) { // newest first, terminated included
      if (inflight.has(x.id)) continue;
      const one = x.actor ? x : Object.assign({ actor }, x), n = JSON.stringify(one).length + 1;
      if (size + n > 60000) break; // keepalive bodies are limited to 64 KiB
      size += n;
      last.unshift(one);
    }
    if (last.length) post(last, true).catch(() => {}); // the queue keeps them until a later visit confirms
  };
  addEventListener("pagehide", end);
  document.addEventListener("visibilitychange", () => {
    // hidden may be the last thing a page sees (a phone discards it later): send what is queued now and
    // keep a terminated in storage that the next visit sends if this page never comes back
    if (!session || LMS) return;
    if (document.visibilityState === "hidden") {
      pending(statement("terminated", COURSE(), { duration: iso(Date.now() - session.start) }));
      if (actor) post(ready().filter((x) => !inflight.has(x.id)), true).catch(() => {});
    } else begin();
  });
  addEventListener("pageshow", (e) => e.persisted && begin());

  // ------------------------------------------------------------ quizzes
  const started = {}; // quiz id -> {start, q: {question id: last change}}
  document.addEventListener("change", (e) => note(e.target), true);
  document.addEventListener("input", (e) => note(e.target), true);
  const note = (el) => {
    const root = el && el.closest && el.closest('[data-module="cq-quiz"]'), fs = el.closest && el.closest("[data-question]");
    if (!root) return;
    const id = root.getAttribute("data-quiz"), s = (started[id] = started[id] || { start: Date.now(), q: {} });
    if (fs) s.q[fs.getAttribute("data-question")] = Date.now();
  };
  document.addEventListener("click", (e) => {
    const b = e.target.closest && e.target.closest('[data-module="cq-quiz"] button[data-action="retry"]');
    if (b) delete started[b.closest('[data-module="cq-quiz"]').getAttribute("data-quiz")];
  }, true);
  const quizKey = (root, qid) => { // the quiz's answer key (quiz.html: base64 of UTF-8 JSON)
    try {
      const bin = atob(JSON.parse(root.querySelector("script[data-quiz-key]").textContent));
      const all = JSON.parse(new TextDecoder("utf-8").decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
      return (all.questions || []).find((q) => q.id === qid) || null;
    } catch (e) { return null; }
  };
  const interaction = (fs, key) => {
    const type = fs.getAttribute("data-type"), list = (sel) => Array.from(fs.querySelectorAll(sel));
    const choices = (els, f) => els.map((el) => ({ id: f(el), description: { [LANG]: text(el.closest("li").querySelector(".cq-option__text, .cq-order__text"), 300) || f(el) } }));
    if (type === "single" || type === "multiple") {
      const boxes = list("input");
      return { kind: "choice", choices: choices(boxes, (b) => b.value), response: boxes.filter((b) => b.checked).map((b) => b.value).sort().join("[,]") };
    }
    if (type === "true_false") return { kind: "true-false", response: (list("input").find((b) => b.checked) || {}).value || "" };
    if (type === "text") return { kind: "fill-in", response: ((fs.querySelector("input") || {}).value || "").trim().slice(0, 500) };
    if (type === "order") { // item ids are the author's positions (key.order), not the shuffled display
      const sel = list("select"), placed = sel.filter((s) => s.value).sort((a, b) => a.value - b.value);
      const orig = (s) => { const i = +s.getAttribute("data-item"), o = key && key.order; return String(o && o[i] != null ? o[i] : i); };
      return { kind: "sequencing", choices: choices(sel, orig), response: placed.map(orig).join("[,]") };
    }
    return { kind: "other", response: "" };
  };
  document.addEventListener("course:answered", (e) => {
    const d = e.detail || {}, root = e.target, now = Date.now();
    if (!root || !root.querySelectorAll || typeof d.quiz !== "string") return;
    const quizId = `${BASE}/quiz/${d.quiz}`, t = started[d.quiz] || { start: now, q: {} }, out = [];
    delete started[d.quiz];
    const right = {};
    (d.answers || []).forEach((a) => (right[a.id] = a.correct === true));
    const ext = { [EXT + "version"]: String(d.version || "-") };
    root.querySelectorAll("[data-question]").forEach((fs) => {
      const qid = fs.getAttribute("data-question"), it = interaction(fs, quizKey(root, qid)), legend = fs.querySelector("legend");
      const name = legend ? text(legend).replace(/^Question \d+ of \d+\.\s*/, "") : qid;
      const more = { interactionType: it.kind };
      if (it.choices) more.choices = it.choices;
      out.push(statement("answered", activity(`${quizId}/question/${qid}`, "cmi.interaction", name, more),
        Object.assign({ success: !!right[qid], duration: iso((t.q[qid] || now) - t.start) }, it.response ? { response: it.response } : {}),
        context(quizId, ext)));
    });
    const max = Number(d.max) || 0, score = Number(d.score) || 0;
    out.push(statement(d.passed ? "passed" : "failed", activity(quizId, "assessment", text(root.querySelector(".cq-quiz__title")) || d.quiz),
      { score: { scaled: max ? Math.round((score / max) * 1e4) / 1e4 : 0, raw: score, min: 0, max }, success: !!d.passed, completion: true, duration: iso(now - t.start) },
      context(BASE, ext)));
    enqueue(...out);
  });

  // ------------------------------------------------------------ scenarios
  const shown = {}; // scenario id -> when the current node was shown
  document.addEventListener("course:scenario", (e) => {
    const d = e.detail || {}, root = e.target, now = Date.now();
    if (!root || !root.querySelector || typeof d.scenario !== "string" || !Array.isArray(d.path)) return;
    const sid = d.scenario, sceneId = `${BASE}/scenario/${sid}`, ext = { [EXT + "version"]: String(d.version || "-") };
    if (d.action !== "choose") {
      if (d.action === "restart") update((s) => delete s.att[sid]);
      shown[sid] = now;
      return;
    }
    let data = null;
    try { data = JSON.parse(root.querySelector("script[data-scenario-data]").textContent); } catch (err) { return; }
    let at = data.start;
    for (let i = 0; i < d.path.length - 1 && data.nodes[at]; i++) at = ((data.nodes[at].choices || [])[d.path[i]] || {}).to;
    const index = d.path[d.path.length - 1], node = data.nodes[at];
    if (!node) return;
    const out = [];
    let att = load().att[sid];
    if (!att || d.path.length === 1) {
      att = { id: uuid(), start: now };
      out.push(statement("attempted", activity(sceneId, "simulation", text(root.querySelector(".cq-scenario__title strong")) || sid),
        null, context(BASE, Object.assign({ [EXT + "attempt"]: att.id }, ext))));
    }
    const tpl = root.querySelector(`template[data-tpl="${CSS.escape(at)}"]`), frag = tpl && tpl.content;
    const said = frag ? text(frag.querySelector(".cq-node__text"), 300) : "";
    const choices = (node.choices || []).map((c, i) => ({ id: String(i), description: { [LANG]: (frag && text(frag.querySelector(`[data-choice-text="${i}"]`), 300)) || String(i) } }));
    const aext = Object.assign({ [EXT + "attempt"]: att.id }, ext);
    out.push(statement("answered", activity(`${sceneId}/node/${at}`, "cmi.interaction", said || at, { interactionType: "choice", choices }),
      { response: String(index), duration: iso(now - (shown[sid] || now)), extensions: { [EXT + "meters"]: d.meters || {} } }, context(sceneId, aext)));
    shown[sid] = now;
    if (d.ending) {
      out.push(statement("completed", activity(sceneId, "simulation", text(root.querySelector(".cq-scenario__title strong")) || sid),
        { completion: true, success: d.ending === "success", response: String(d.ending), duration: iso(now - att.start),
          extensions: { [EXT + "ending"]: d.ending, [EXT + "node"]: d.node, [EXT + "meters"]: d.meters || {}, [EXT + "path"]: d.path } },
        context(BASE, aext)));
      update((s) => delete s.att[sid]);
    } else update((s) => (s.att[sid] = att));
    enqueue(...out);
  });
  document.addEventListener("course:ready", () => {
    document.querySelectorAll('[data-module="cq-scenario"]').forEach((r) => (shown[r.getAttribute("data-scenario")] = Date.now()));
  });

  // ------------------------------------------------------------ course completed
  const checkDone = () => {
    const P = window.CourseProgress;
    if (!P || !P.status || LMS) return;
    const st = P.status(), s = load();
    if (!st.complete || s.done === s.reg) return;
    const a = st.assessment, result = { completion: true, duration: iso(Date.now() - ((session && session.start) || Date.now())) };
    if (a && a.best !== null) Object.assign(result, { success: !!a.passed, score: { scaled: a.best / 100, raw: a.best, min: 0, max: 100 } });
    update((x) => (x.done = x.reg));
    enqueue(statement("completed", COURSE(), result));
  };
  // progress.js reports inside the same course:* event: let that event's own statements go first
  document.addEventListener("course:progress", () => setTimeout(checkDone, 0));

  // ------------------------------------------------------------ who: single sign-on, else the certificate page
  const fromForm = () => agent(load().learner);
  const askOnCertificatePage = () => {
    const host = document.querySelector('[data-module="cq-completion"]');
    if (!host || host.querySelector(".cq-xapi-id")) return;
    const T = (key) => window.Course.msg(key); // the course's language (issue 14)
    const mk = (tag, attrs, txt) => { const n = document.createElement(tag); for (const k in attrs) n.setAttribute(k, attrs[k]); if (txt) n.textContent = txt; return n; };
    const form = mk("form", { class: "cq-xapi-id cq-cert-form", "aria-labelledby": "cq-xapi-title", novalidate: "" });
    const saved = load().learner || {}, P = window.CourseProgress;
    const name = mk("input", { type: "text", id: "cq-xapi-name", autocomplete: "name", maxlength: "120" });
    const mail = mk("input", { type: "email", id: "cq-xapi-email", autocomplete: "email", maxlength: "200" });
    const msg = mk("p", { class: "cq-progress__msg", role: "status" });
    name.value = saved.name || (P && P.load && P.load().name) || "";
    mail.value = (saved.mbox || "").replace(/^mailto:/, "");
    form.append(mk("p", { id: "cq-xapi-title" }, T("xapi.title")),
      mk("p", {}, T("xapi.intro")),
      mk("label", { for: "cq-xapi-name" }, T("xapi.name")), name, mk("label", { for: "cq-xapi-email" }, T("xapi.email")), mail,
      mk("button", { type: "submit", class: "md-button md-button--primary" }, T("xapi.send")), msg);
    form.querySelector("#cq-xapi-title").className = "cq-completion__lead";
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const who = agent({ name: name.value, mbox: "mailto:" + mail.value.trim() });
      if (!name.value.trim()) { msg.textContent = T("xapi.no_name"); return name.focus(); }
      if (!who) { msg.textContent = T("xapi.no_email"); return mail.focus(); }
      update((s) => (s.learner = who));
      actor = who;
      msg.textContent = T("xapi.sent");
      flushSoon();
    });
    host.prepend(form);
  };
  const identify = async () => {
    if (LMS) { actor = LMS.actor(); return flushSoon(); }
    if (WHO) { // asked once per session (a tab), not on every page
      try { actor = agent(JSON.parse(sessionStorage.getItem(KEY + ":who") || "null")); } catch (e) { actor = null; }
      if (!actor) {
        try {
          const r = await fetch(WHO, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
          if (r.ok) actor = agent(await r.json());
          if (!actor) warn(`${WHO} did not answer an xAPI Agent`);
          else try { sessionStorage.setItem(KEY + ":who", JSON.stringify(actor)); } catch (e) { /* ask again next page */ }
        } catch (e) { warn(`${WHO} could not be read`); }
      }
    }
    actor = actor || fromForm();
    if (!actor) { if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", askOnCertificatePage); else askOnCertificatePage(); }
    flushSoon();
  };
  document.addEventListener("course:ready", () => { if (!LMS && !WHO && !fromForm()) askOnCertificatePage(); });

  begin();
  identify();
  checkDone();
})();
