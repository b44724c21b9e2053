/* Course core: starts each widget once per element, on every page Material shows.
 * Widgets register a class; an element opts in with data-module="<name>".
 * Errors are caught per element, so one broken widget never stops the others.
 * Widgets talk to the rest (progress, LMS glue) only through bubbling custom events:
 *   course:answered   a quiz was checked      detail {quiz, version, score, max, percent, passed, passMark}
 *   course:scenario   a scenario step/ending  detail {scenario, version, node, ending, path}
 *
 * Material's instant navigation (navigation.instant) swaps the page content without a reload:
 * document$ emits again, widgets of the new content start, and widgets whose element left the
 * page are released (their destroy() is called and the document/window listeners they added
 * while starting are removed).  Material re-runs every <script> of the new content as
 * JavaScript and drops its attributes, which would turn a widget's JSON data
 * (<script type="application/json" data-...>) into a script without type or data attribute:
 * the page's HTML is therefore parsed with those scripts set aside in <template> elements, and
 * they are put back, unchanged and inert, before the widgets start (issue 10 item 4).
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

  // ------------------------------------------------------------ interface strings (issue 14)
  // The manifest carries the catalog of theme.language (builder/messages/<lang>.json, English
  // where a key is missing, the author's `messages:` on top).  A message is text with {name}
  // placeholders or plural forms chosen with Intl.PluralRules ("_type": "ordinal" for 1st, 2nd).
  function manifest() { return window.COURSE_MANIFEST || {}; }
  Course.lang = function () { return manifest().language || document.documentElement.lang || "en"; };
  function pattern(key, params, fallback) {
    var msgs = manifest().messages || {}, msg = Object.prototype.hasOwnProperty.call(msgs, key) ? msgs[key] : fallback;
    if (msg == null) return key;
    if (typeof msg !== "object") return String(msg);
    var ordinal = msg._type === "ordinal", n = Number(ordinal ? params.n : params.count != null ? params.count : params.n) || 0, cat = "other";
    try { cat = new Intl.PluralRules(msg._locale || Course.lang(), { type: ordinal ? "ordinal" : "cardinal" }).select(n); } catch (e) { /* other */ }
    return String(msg[cat] != null ? msg[cat] : msg.other || "");
  }
  /* Course.msg("quiz.question_number", {n: 2, total: 6}) -> "Question 2 of 6." in the course's language.
   * `fallback` (optional): the English text, for a key an older manifest does not have. */
  Course.msg = function (key, params, fallback) {
    params = params || {};
    return pattern(key, params, fallback).replace(/\{([a-z_]+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
    });
  };
  Course.t = Course.msg; // the same, under the name quiz.js's own t(key, english, vars) looks for

  /* The same as a list of strings and nodes: a parameter that is a DOM node is put in as it is. */
  Course.msgNodes = function (key, params, fallback) {
    params = params || {};
    return pattern(key, params, fallback).split(/(\{[a-z_]+\})/).map(function (part) {
      var name = /^\{([a-z_]+)\}$/.exec(part);
      if (!name || !Object.prototype.hasOwnProperty.call(params, name[1])) return part;
      var v = params[name[1]];
      return v && typeof v === "object" && v.nodeType ? v : String(v);
    }).filter(function (part) { return part !== ""; });
  };
  /* A percentage in the course's language: 80 -> "80%" (en), "80 %" (es, fr, de). */
  Course.formatPercent = function (n) {
    try {
      return new Intl.NumberFormat(Course.lang(), { style: "percent", maximumFractionDigits: 1 }).format(n / 100);
    } catch (e) {
      return n + "%";
    }
  };
  /* A date in the course's language, e.g. "3 March 2026" / "3 de marzo de 2026". */
  Course.formatDate = function (date) {
    try {
      return new Intl.DateTimeFormat(Course.lang(), { year: "numeric", month: "long", day: "numeric" }).format(date);
    } catch (e) {
      return date.toDateString();
    }
  };

  // ------------------------------------------------------------ instant navigation: inert JSON data
  var HELD = "data-course-script";
  function holdData(doc) {
    var scripts = doc.querySelectorAll('[data-module] script[type="application/json"]');
    for (var i = 0; i < scripts.length; i++) {
      var el = scripts[i], attrs = {}, t = doc.createElement("template");
      for (var j = 0; j < el.attributes.length; j++) attrs[el.attributes[j].name] = el.attributes[j].value;
      t.setAttribute(HELD, JSON.stringify(attrs));
      t.content.appendChild(doc.createTextNode(el.textContent));
      el.parentNode.replaceChild(t, el);
    }
  }
  function restoreData(scope) {
    var held = scope.querySelectorAll("template[" + HELD + "]");
    for (var i = 0; i < held.length; i++) {
      var t = held[i], script = document.createElement("script"), attrs = JSON.parse(t.getAttribute(HELD));
      for (var name in attrs) if (Object.prototype.hasOwnProperty.call(attrs, name)) script.setAttribute(name, attrs[name]);
      script.textContent = t.content.textContent;
      t.parentNode.replaceChild(script, t); // type="application/json": inserted, never run
    }
  }
  if (window.DOMParser && !DOMParser.prototype.courseHolds) {
    var parse = DOMParser.prototype.parseFromString;
    DOMParser.prototype.parseFromString = function (text, type) {
      var doc = parse.apply(this, arguments);
      if (type === "text/html" && doc && doc.querySelectorAll) {
        try { holdData(doc); } catch (err) { /* the page still works after a reload */ }
      }
      return doc;
    };
    DOMParser.prototype.courseHolds = true;
  }

  // ------------------------------------------------------------ start and release widgets
  var live = []; // {el, widget, listeners: [[target, type, fn, options]]}
  function startWidget(el, Widget) {
    var added = [], targets = [document, window], originals = [];
    // listeners a widget adds to document/window while starting are released with it
    targets.forEach(function (target, n) {
      originals[n] = target.addEventListener;
      target.addEventListener = function (type, fn, options) {
        added.push([target, type, fn, options]);
        return originals[n].apply(target, arguments);
      };
    });
    try {
      el.courseWidget = new Widget(el);
    } finally {
      targets.forEach(function (target, n) {
        if (Object.prototype.hasOwnProperty.call(target, "addEventListener")) delete target.addEventListener;
        if (target.addEventListener !== originals[n]) target.addEventListener = originals[n];
      });
    }
    live.push({ el: el, widget: el.courseWidget, listeners: added });
  }
  Course.release = function () {
    live = live.filter(function (w) {
      if (w.el.isConnected !== false && document.documentElement.contains(w.el)) return true;
      try {
        if (w.widget && typeof w.widget.destroy === "function") w.widget.destroy();
      } catch (err) {
        if (window.console) console.error("course: could not release", w.el.getAttribute("data-module"), err);
      }
      w.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
      w.el.courseWidget = null;
      return false;
    });
  };
  Course.live = function () { return live.length; };

  // ------------------------------------------------------------ a widget's files, when a page needs them
  // Each page loads only the files of the widgets it shows (issue 17); the others are listed inert
  // (site_overrides/main.html: <script type="text/x-course-later">, <link rel="x-course-later">), with
  // data-for="NAME ..." (the data-module names that need the file) or data-when="SELECTOR" (the file
  // is needed where the selector matches, e.g. a typed-answer question). After instant navigation to
  // a page that needs one they are loaded here, in document order; the widget's register() then
  // starts it.
  var asked = {};
  // the site's root, from this script's own address (a relative src in the page no longer resolves
  // against the right folder once instant navigation has changed the address)
  var ROOT = ((document.currentScript || {}).src || "").replace(/assets\/course\/course\.js[^/]*$/, "");
  function siteUrl(tag, attr) {
    var value = tag.getAttribute(attr) || "", at = value.indexOf("assets/course/");
    return ROOT && at >= 0 ? ROOT + value.slice(at) : tag[attr];
  }
  function later(scope) {
    var tags = document.querySelectorAll('link[rel="x-course-later"], script[type="text/x-course-later"]');
    for (var i = 0; i < tags.length; i++) {
      var tag = tags[i], el, when = tag.getAttribute("data-when"), names = (tag.getAttribute("data-for") || "").split(" ");
      var url = siteUrl(tag, tag.tagName === "LINK" ? "href" : "src");
      if (asked[url]) continue;
      if (!when) when = names.filter(Boolean).map(function (n) { return '[data-module="' + n + '"]'; }).join(",");
      try { if (!when || !scope.querySelector(when)) continue; } catch (err) { continue; }
      asked[url] = true;
      if (tag.tagName === "LINK") {
        el = document.createElement("link");
        el.rel = "stylesheet";
        el.href = url;
        document.head.appendChild(el);
      } else {
        el = document.createElement("script");
        el.src = url;
        el.async = false; // run in document order (typed-answer.js before quiz.js)
        document.body.appendChild(el);
      }
    }
  }

  Course.init = function (scope) {
    scope = scope || document;
    Course.release();
    try { restoreData(scope); } catch (err) { if (window.console) console.error("course: page data", err); }
    try { later(scope); } catch (err) { if (window.console) console.error("course: widget files", err); }
    var els = scope.querySelectorAll("[data-module]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var Widget = Course.modules[el.getAttribute("data-module")];
      if (!Widget || el.courseWidget) continue;
      // a widget whose parts for this element are still loading (Widget.ready): started when they come
      if (typeof Widget.ready === "function" && !Widget.ready(el)) continue;
      try {
        startWidget(el, Widget);
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
