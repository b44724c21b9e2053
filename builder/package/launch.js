/* The SCORM package's launch page (scorm.html). It keeps one LMS session open for the whole sitting
 * and shows the course in a frame: the pages' adapter (assets/course/scorm.js) reaches the LMS through
 * window.API here, whose LMSInitialize/LMSFinish leave the session open. Without an LMS it opens the
 * plain site. LMS errors are logged with console.warn. */
(() => {
  "use strict";
  const M = window.COURSE_MANIFEST || { pages: [] };
  const find = (w) => {
    try {
      for (let n = 0; w && n < 8; n++, w = w.parent !== w && w.parent) if (w.API && w.API.LMSInitialize) return w.API;
    } catch (e) { /* a frame from another site */ }
    return null;
  };
  const api = find(window.parent !== window && window.parent) || find(window.opener) || find(window.top.opener);
  if (!api) return location.replace("index.html");
  const call = (fn, a, b) => {
    try {
      const r = String(api[fn](a, b)), code = String(api.LMSGetLastError());
      if (code !== "0" && code && (r === "false" || fn === "LMSGetValue")) console.warn(`course LMS: ${fn}(${a || ""}) failed: error ${code}`);
      return r;
    } catch (e) {
      console.warn(`course LMS: ${fn}(${a || ""}) threw ${e}`);
      return "";
    }
  };
  const pad = (n, w) => ("000" + Math.floor(n)).slice(-w), started = Date.now();
  let ended = false;
  call("LMSInitialize", "");
  const frame = document.querySelector("iframe"), loc = call("LMSGetValue", "cmi.core.lesson_location");
  const proxy = { cqLauncher: 1, LMSInitialize: () => "true" };
  ["LMSGetValue", "LMSSetValue", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"].forEach(
    (f) => (proxy[f] = (a, b) => (ended && f === "LMSSetValue" ? "true" : api[f](a, b))));
  proxy.LMSCommit = proxy.LMSFinish = () => (ended ? "true" : call("LMSCommit", ""));
  window.API = proxy;
  const end = () => {
    if (ended) return;
    try { frame.contentWindow.CourseScorm.flush(); } catch (e) { /* the page is gone */ }
    ended = true;
    if (!/^(browse|review)$/.test(call("LMSGetValue", "cmi.core.lesson_mode"))) {
      const cs = (Date.now() - started) / 10; // CMITimespan HHHH:MM:SS.SS
      call("LMSSetValue", "cmi.core.session_time", `${pad(Math.min(9999, cs / 36e4), 4)}:${pad((cs / 6e3) % 60, 2)}:${pad((cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`);
    }
    call("LMSCommit", "");
    call("LMSFinish", "");
  };
  addEventListener("pagehide", end);
  addEventListener("beforeunload", end);
  frame.onload = () => { try { document.title = frame.contentDocument.title; } catch (e) { /* not ours */ } };
  frame.src = M.pages.some((p) => p.url === loc) ? loc : "index.html"; // back where the learner left off
})();
