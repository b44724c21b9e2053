/* SCORM 1.2 adapter, inert without an LMS API (window.API in a parent frame or opener). Each page:
 * LMSInitialize; lesson_status, score, suspend_data as they change; LMSCommit + LMSFinish on leaving.
 * In the package the API is the launch page's (builder/package/launch.js), one session across pages.
 * LMS errors are logged with console.warn and never stop the course. */
(() => {
  "use strict";
  const M = window.COURSE_MANIFEST;
  const find = (w) => {
    try {
      for (let n = 0; w && n < 8; n++, w = w.parent !== w && w.parent) if (w.API && w.API.LMSInitialize) return w.API;
    } catch (e) { /* a frame from another site */ }
    return null;
  };
  const api = M && window.CourseProgress && (find(window) || find(window.opener) || find(window.top.opener));
  if (!api) return;

  const warn = (t) => console.warn("course LMS: " + t);
  const call = (fn, a, b) => {
    let r;
    try {
      r = api[fn](a, b);
      const code = String(api.LMSGetLastError());
      if (code !== "0" && code && (String(r) === "false" || fn === "LMSGetValue")) warn(`${fn}(${a || ""}) failed: error ${code} ${api.LMSGetErrorString(code)}`);
    } catch (e) {
      warn(`${fn}(${a || ""}) threw ${e}`);
    }
    return r == null ? "" : String(r);
  };
  const get = (k) => call("LMSGetValue", k);
  let sent = {};
  const set = (k, v) => sent[k] !== v && ((sent[k] = v), call("LMSSetValue", k, v), true);
  const pad = (n, w) => ("000" + Math.floor(n)).slice(-w);
  const timespan = (ms) => { // CMITimespan HHHH:MM:SS.SS
    const cs = ms / 10;
    return `${pad(Math.min(9999, cs / 36e4), 4)}:${pad((cs / 6e3) % 60, 2)}:${pad((cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`;
  };

  const P = window.CourseProgress, started = Date.now(), I = M.items, C = M.completion || {}, via = !!api.cqLauncher;
  let finished = false, quiet = false, timer = 0;

  /* suspend_data (4,096 characters at most): c1|time|pages|quizzes|scenarios|completed. Pages and ids
   * are 4-character hashes matched back through the manifest (removed ones drop out). */
  const h4 = (s) => {
    let x = 2166136261;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    return ("000" + (x % 1679616).toString(36)).slice(-4);
  };
  const b36 = (n) => Math.floor(n / 1e3 || 0).toString(36);
  const encode = (s, lean) => {
    const rows = (k, f) => Object.keys(s[k]).map((id) => [h4(id)].concat(f(s[k][id])).join(".")).join(",");
    const t = Math.max(0, ...Object.keys(s.quizzes).map((id) => s.quizzes[id].t), ...Object.keys(s.scenarios).map((id) => s.scenarios[id].t));
    return ["c1", b36(t), lean ? "" : M.pages.filter((p) => s.pages[p.url]).map((p) => h4(p.url)).join(""),
      rows("quizzes", (r) => [r.best, +r.passed, r.v.slice(0, 4), r.n]),
      rows("scenarios", (r) => [(r.best || "-")[0] + +r.done, r.v.slice(0, 4), r.steps]), b36(s.completed)].join("|");
  };
  const suspend = (s) => { const out = encode(s); return out.length < 4e3 ? out : encode(s, 1).slice(0, 4e3); };
  const decode = (text) => {
    const [tag, t, pages = "", quizzes = "", scenarios = "", done] = String(text).split("|"), ids = {}, T = parseInt(t, 36) * 1e3 || 0;
    if (tag !== "c1") return null;
    const out = { pages: {}, quizzes: {}, scenarios: {}, completed: parseInt(done, 36) * 1e3 || 0 };
    const ver = (id, v) => (!v ? "" : I[id].version.slice(0, 4) === v ? I[id].version : "old:" + v);
    M.pages.forEach((p) => (ids["p" + h4(p.url)] = p.url));
    Object.keys(I).forEach((id) => (ids[I[id].kind + h4(id)] = id));
    for (let i = 0; i < pages.length; i += 4) if (ids["p" + pages.substr(i, 4)]) out.pages[ids["p" + pages.substr(i, 4)]] = 1;
    quizzes.split(",").forEach((e) => {
      const [h, best, passed, v, n] = e.split("."), id = ids["quiz" + h];
      if (id) out.quizzes[id] = { best: +best, passed: passed === "1", v: ver(id, v), n: +n, t: T };
    });
    scenarios.split(",").forEach((e) => {
      const [h, o = "", v, steps] = e.split("."), id = ids["scenario" + h];
      if (id) out.scenarios[id] = { best: { s: "success", p: "partial", f: "failure" }[o[0]] || "", done: o[1] === "1", v: ver(id, v), steps: +steps, t: T };
    });
    return out;
  };

  const report = (now) => {
    if (finished || quiet) return;
    const st = P.status(), a = st.assessment;
    const status = a && a.best !== null ? (!a.passed ? "failed" : st.complete ? "passed" : "incomplete") : !a && st.complete ? "completed" : "incomplete";
    let important = set("cmi.core.lesson_status", status);
    if (a && a.best !== null) important = [set("cmi.core.score.min", "0"), set("cmi.core.score.max", "100"), set("cmi.core.score.raw", String(a.best))].some(Boolean) || important;
    set("cmi.core.exit", /passed|completed/.test(status) ? "" : "suspend");
    const moved = set("cmi.suspend_data", suspend(P.load()));
    clearTimeout(timer);
    if (important || now) call("LMSCommit", "");
    else if (moved) timer = setTimeout(() => call("LMSCommit", ""), 3e3);
  };
  const finish = () => {
    if (finished) return;
    report();
    clearTimeout(timer);
    if (!via && !quiet) set("cmi.core.session_time", timespan(Date.now() - started));
    call("LMSCommit", "");
    call("LMSFinish", "");
    finished = true;
  };
  const begin = () => {
    call("LMSInitialize", "");
    finished = false;
    sent = {};
    quiet = /^(browse|review)$/.test(get("cmi.core.lesson_mode")); // browse or review: report nothing
    const who = get("cmi.core.student_id"), name = get("cmi.core.student_name").split(","), mastery = get("cmi.student_data.mastery_score");
    if (who) P.key = M.storage_key + ":" + h4(who) + h4(who + "#"); // one store per LMS learner on a shared PC
    P.lms = true;
    P.defaultName = (name.length === 2 ? name[1] + " " + name[0] : name[0]).trim();
    if (C.assessment && /^\d+(\.\d+)?$/.test(mastery) && +mastery <= 100) P.passMarks[C.assessment] = +mastery;
    const saved = decode(get("cmi.suspend_data")), here = P.urlOf(location.href);
    if (saved) P.merge(saved);
    if (here && !quiet) set("cmi.core.lesson_location", here);
    report(true);
  };
  window.CourseScorm = { flush: () => report(true), encode: suspend, decode };
  begin();
  document.addEventListener("course:progress", () => report());
  addEventListener("pagehide", finish);
  addEventListener("beforeunload", finish);
  addEventListener("pageshow", (e) => e.persisted && begin());
})();
