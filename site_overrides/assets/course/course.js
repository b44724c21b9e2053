/* Course core: starts each widget once per element, on every page Material shows.
 * Widgets register a class; an element opts in with data-module="<name>".
 * Errors are caught per element, so one broken widget never stops the others.
 * Widgets talk to the rest (progress, LMS glue) only through bubbling custom events:
 *   course:answered   a quiz was checked      detail {quiz, version, score, max, percent, passed, passMark}
 *   course:scenario   a scenario step/ending  detail {scenario, version, node, ending, path}
 */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  Course.modules = Course.modules || {};

  Course.register = function (name, Widget) {
    Course.modules[name] = Widget;
    if (Course.started) Course.init(document);
  };

  Course.emit = function (el, name, detail) {
    var event;
    try {
      event = new CustomEvent(name, { bubbles: true, detail: detail });
    } catch (e) {
      event = document.createEvent("CustomEvent");
      event.initCustomEvent(name, true, false, detail);
    }
    el.dispatchEvent(event);
  };

  Course.init = function (scope) {
    var els = (scope || document).querySelectorAll("[data-module]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var Widget = Course.modules[el.getAttribute("data-module")];
      if (!Widget || el.courseWidget) continue;
      try {
        el.courseWidget = new Widget(el);
      } catch (err) {
        if (window.console) console.error("course: could not start", el.getAttribute("data-module"), err);
      }
    }
    Course.emit(document, "course:ready", {});
  };

  function start() {
    Course.started = true;
    var ran = false;
    function run() { ran = true; Course.init(document); }
    function fallback() { if (!ran) run(); }
    var doc$ = window.document$;
    if (!doc$ || typeof doc$.subscribe !== "function") return run();
    try {
      doc$.subscribe(run);
    } catch (err) {
      if (window.console) console.error("course: theme script failed", err);
    }
    // Material emits document$ on DOMContentLoaded; if its bundle broke first, start on load anyway
    if (ran) return;
    if (document.readyState === "complete") setTimeout(fallback, 0);
    else window.addEventListener("load", fallback);
  }
  // scorm.js is fetched only under an LMS (issue 17): the page declares it as an inert
  // <script type="text/x-course-later" data-when="lms" src="..."> (site_overrides/main.html)
  function hasLmsApi(w) {
    try {
      for (var n = 0; w && n < 8; n++, w = w.parent !== w && w.parent) if (w.API && w.API.LMSInitialize) return true;
    } catch (e) { /* a frame from another site */ }
    return false;
  }
  // widgets start once these have run, as when every page loaded them (LMS session, learner key first)
  function loadLater(done) {
    var tags = document.querySelectorAll('script[type="text/x-course-later"]');
    var need = { lms: hasLmsApi(window) || hasLmsApi(window.opener) || (window.top && hasLmsApi(window.top.opener)) };
    var waiting = 1, finished = false;
    function one() { if (--waiting === 0 && !finished) { finished = true; done(); } }
    for (var i = 0; i < tags.length; i++) {
      if (!need[tags[i].getAttribute("data-when")] || tags[i].getAttribute("data-loaded")) continue;
      tags[i].setAttribute("data-loaded", "1");
      var s = document.createElement("script");
      s.src = tags[i].src;
      s.async = false;
      s.onload = s.onerror = one;
      waiting++;
      document.body.appendChild(s);
    }
    setTimeout(function () { waiting = 1; one(); }, 8000); // a script that never answers delays nothing for long
    one();
  }
  function boot() {
    try { loadLater(start); } catch (err) {
      if (window.console) console.error("course: could not load", err);
      if (!Course.started) start();
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
