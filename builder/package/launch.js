/* The SCORM package's launch page (scorm.html), for SCORM 1.2 (window.API) and SCORM 2004
 * (window.API_1484_11). It keeps one LMS session open for the whole sitting and shows the course in
 * a frame: the pages' adapter (assets/course/scorm.js) reaches the LMS through a proxy API here, whose
 * initialize/finish calls leave the session open (cqStarted tells the pages when the session began,
 * for the session time they report). The session time is sent and committed whenever the page is
 * hidden, and again on leaving. Without an LMS it opens the plain site. LMS errors are logged with
 * console.warn. */
(() => {
  "use strict";
  const M = window.COURSE_MANIFEST || { pages: [] };
  // the home page: index.html, or <lang>/index.html in a package of a language version (issue 14)
  const HOME = (M.pages.find((p) => /(^|\/)index\.html$/.test(p.url)) || M.pages[0] || { url: "index.html" }).url;
  const prefer2004 = document.body.getAttribute("data-scorm") === "2004"; // the package's edition, when the LMS offers both
  const find = (w) => {
    try {
      for (let n = 0; w && n < 8; n++, w = w.parent !== w && w.parent) {
        const v04 = w.API_1484_11 && typeof w.API_1484_11.Initialize === "function" && [w.API_1484_11, 2004];
        const v12 = w.API && typeof w.API.LMSInitialize === "function" && [w.API, 12];
        if (v04 || v12) return prefer2004 ? v04 || v12 : v12 || v04;
      }
    } catch (e) { /* a frame from another site */ }
    return null;
  };
  const found = find(window.parent !== window && window.parent) || find(window.opener) || find(window.top.opener);
  if (!found) return location.replace(HOME);
  const [api, edition] = found, v12 = edition === 12;
  const F = v12
    ? { init: "LMSInitialize", fin: api.LMSFinish ? "LMSFinish" : "LMSTerminate", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", err: "LMSGetLastError" }
    : { init: "Initialize", fin: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit", err: "GetLastError" };
  const call = (fn, a, b) => {
    try {
      const r = String(api[fn](a, b)), code = String(api[F.err]());
      if (code !== "0" && code && (r === "false" || fn === F.get)) console.warn(`course LMS: ${fn}(${a || ""}) failed: error ${code}`);
      return r;
    } catch (e) {
      console.warn(`course LMS: ${fn}(${a || ""}) threw ${e}`);
      return "";
    }
  };
  const pad = (n, w) => ("000" + Math.floor(n)).slice(-w), started = Date.now();
  const timespan = () => {
    const cs = (Date.now() - started) / 10;
    if (!v12) return `PT${Math.floor(cs / 36e4)}H${Math.floor(cs / 6e3) % 60}M${(Math.floor(cs) % 6e3) / 100}S`; // ISO 8601 duration
    return `${pad(Math.min(9999, cs / 36e4), 4)}:${pad((cs / 6e3) % 60, 2)}:${pad((cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`; // CMITimespan
  };
  let ended = false;
  call(F.init, "");
  const frame = document.querySelector("iframe"), loc = call(F.get, v12 ? "cmi.core.lesson_location" : "cmi.location");
  const quiet = /^(browse|review)$/.test(call(F.get, v12 ? "cmi.core.lesson_mode" : "cmi.mode"));
  const proxy = { cqLauncher: 1, cqStarted: started };
  [F.get, F.set, F.err, v12 ? "LMSGetErrorString" : "GetErrorString", v12 ? "LMSGetDiagnostic" : "GetDiagnostic"].forEach(
    (f) => (proxy[f] = (a, b) => (ended && f === F.set ? "true" : api[f](a, b))));
  proxy[v12 ? "LMSInitialize" : "Initialize"] = () => "true";
  proxy[v12 ? "LMSCommit" : "Commit"] = proxy[v12 ? "LMSFinish" : "Terminate"] = () => (ended ? "true" : call(F.commit, ""));
  if (v12) window.API = proxy;
  else window.API_1484_11 = proxy;
  const save = () => {
    if (!quiet) call(F.set, v12 ? "cmi.core.session_time" : "cmi.session_time", timespan());
    call(F.commit, "");
  };
  const end = () => {
    if (ended) return;
    try { frame.contentWindow.CourseScorm.flush(); } catch (e) { /* the page is gone */ }
    ended = true;
    save();
    call(F.fin, "");
  };
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && !ended && save());
  addEventListener("pagehide", end);
  addEventListener("beforeunload", end);
  frame.onload = () => { try { document.title = frame.contentDocument.title; } catch (e) { /* not ours */ } };
  frame.src = M.pages.some((p) => p.url === loc) ? loc : HOME; // back where the learner left off
})();
