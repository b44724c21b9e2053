/* Scenario player, [data-module="cq-scenario"]. Author text is cloned from sanitized
 * <template data-tpl="<node id>">; structure is read from script[data-scenario-data].
 * On choose/back/restart it emits course:scenario
 *   {scenario, version, node, ending (or null), path: [choice indexes], meters, action}
 * and saves {path} in localStorage "cq-scenario:<storage_key or page path>:<id>:<version>". */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var OUTCOME = { success: "Success", partial: "Partial success", failure: "Failure" };

  function q(root, sel) { return root.querySelector(sel); }
  function words(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
  function copy(el) { return el ? document.importNode(el, true) : document.createTextNode(""); }
  function kids(el) {
    var frag = document.createDocumentFragment();
    if (el) for (var n = el.firstChild; n; n = n.nextSibling) frag.appendChild(document.importNode(n, true));
    return frag;
  }
  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function Scenario(root) {
    var self = this;
    this.root = root;
    this.id = root.getAttribute("data-scenario");
    this.data = JSON.parse(q(root, "script[data-scenario-data]").textContent);
    this.version = root.getAttribute("data-version") || "";
    var m = window.COURSE_MANIFEST;
    this.key = "cq-scenario:" + ((m && m.storage_key) || location.pathname) + ":" + this.id + ":" + this.version;
    this.tpl = {};
    var tpls = root.querySelectorAll("template[data-tpl]");
    for (var i = 0; i < tpls.length; i++) this.tpl[tpls[i].getAttribute("data-tpl")] = tpls[i].content;
    this.meterDef = {};
    for (i = 0; i < this.data.meters.length; i++) this.meterDef[this.data.meters[i].name] = this.data.meters[i];
    this.el = {};
    ["player", "turn", "reply", "feedback", "feedback-text", "effects", "choices", "choice-list", "recap",
      "recap-list", "live"].forEach(function (n) { self.el[n] = q(root, "[data-" + n + "]"); });
    this.node = q(root, ".cq-node");
    this.back = q(root, '[data-action="back"]');
    this.restart = q(root, '[data-action="restart"]');
    this.el["choice-list"].addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button[data-choice]");
      /* e.detail > 1: the second click of a double click, landing on the next node's button */
      if (b && e.detail < 2) self.go(self.path.concat([Number(b.getAttribute("data-choice"))]), "choose");
    });
    this.back.addEventListener("click", function () { self.go(self.path.slice(0, -1), "back"); });
    this.restart.addEventListener("click", function () { self.go([], "restart"); });
    this.path = this.load();
    root.classList.add("cq-js");
    this.el.player.hidden = false;
    this.render();
  }

  Scenario.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.key) || "null");
      var path = (saved && saved.path instanceof Array && saved.path.slice(0, 1000)) || [];
      for (var i = 0; i < path.length; i++) if (path[i] !== (path[i] | 0) || path[i] < 0) return path.slice(0, i);
      return path;
    } catch (e) { /* storage off, full or corrupt: start fresh */ }
    return [];
  };

  Scenario.prototype.save = function () {
    try { window.localStorage.setItem(this.key, JSON.stringify({ path: this.path })); } catch (e) { /* memory only */ }
  };

  Scenario.prototype.meets = function (choice, meters) {
    var req = choice.requires || {};
    for (var k in req) if (!(meters[k] >= req[k])) return false;
    return true;
  };

  /* Walk the path from the start; stop at the first step that is no longer possible. */
  Scenario.prototype.replay = function (path) {
    var d = this.data, at = d.start, meters = {}, steps = [], i, k;
    for (i = 0; i < d.meters.length; i++) meters[d.meters[i].name] = d.meters[i].start;
    for (i = 0; i < path.length; i++) {
      var node = d.nodes[at], c = node && node.choices && node.choices[path[i]];
      if (!c || !d.nodes[c.to] || !this.meets(c, meters)) break;
      var before = {}, eff = c.effects || {};
      for (k in meters) before[k] = meters[k];
      for (k in eff) {
        var def = this.meterDef[k];
        if (def) meters[k] = Math.min(def.max, Math.max(def.min, meters[k] + eff[k]));
      }
      steps.push({ node: at, index: path[i], before: before });
      at = c.to;
    }
    return { node: at, meters: meters, steps: steps, path: path.slice(0, steps.length) };
  };

  Scenario.prototype.go = function (path, action) {
    this.path = path;
    var s = this.render();
    this.save();
    var last = s.steps[s.steps.length - 1], msg;
    if (action === "choose" && last) {
      msg = "You chose: " + words(this.part(last, "choice")) + ". " + words(this.part(last, "feedback")) + " " +
        this.changes(last, s.meters) + (this.ending ? " The scenario is over. Outcome: " + OUTCOME[this.ending] + "." : "");
    } else {
      msg = action === "back" ? "Went back one step." : "Scenario restarted.";
    }
    this.el.live.textContent = msg;
    this.node.focus({ preventScroll: true });
    var view = last ? this.el.turn : this.node, top = view.getBoundingClientRect().top;
    if (top < 60 || top > window.innerHeight * 0.6) view.scrollIntoView({ block: "start" });
    Course.emit(this.root, "course:scenario", {
      scenario: this.id, version: this.version, node: s.node, ending: this.ending, path: s.path.slice(),
      meters: s.meters, action: action
    });
  };

  /* The choice text or its feedback for a step, from the node's template. */
  Scenario.prototype.part = function (step, what) {
    var t = this.tpl[step.node];
    return t && q(t, what === "choice" ? '[data-choice-text="' + step.index + '"]' : '[data-feedback-for="' + step.index + '"]');
  };

  Scenario.prototype.changes = function (step, after) {
    var out = [];
    for (var k in after) {
      var diff = after[k] - step.before[k];
      if (diff) out.push(this.meterDef[k].label + " " + (diff > 0 ? "+" : "\u2212") + Math.abs(diff));
    }
    return out.join(" \u00b7 ");
  };

  Scenario.prototype.render = function () {
    var s = this.replay(this.path), d = this.data, el = this.el, i;
    this.path = s.path;
    var node = d.nodes[s.node] || {}, t = this.tpl[s.node];
    this.ending = node.ending || null;

    var gauges = this.root.querySelectorAll("[data-meter]");
    for (i = 0; i < gauges.length; i++) {
      var g = gauges[i], def = this.meterDef[g.getAttribute("data-meter")], v = s.meters[def.name];
      var share = def.max > def.min ? (v - def.min) / (def.max - def.min) : 1;
      var label = v + " of " + def.max + (def.min ? " (lowest " + def.min + ")" : "");
      g.setAttribute("data-value", v);
      g.setAttribute("aria-valuenow", v);
      g.setAttribute("aria-valuetext", label);
      g.setAttribute("data-level", share < 0.34 ? "low" : share < 0.67 ? "mid" : "high");
      q(g, "[data-meter-text]").textContent = label;
      q(g, ".cq-meter__fill").style.width = Math.round(share * 100) + "%";
    }

    var last = s.steps[s.steps.length - 1];
    el.turn.hidden = !last;
    if (last) {
      el.reply.textContent = "";
      el.reply.appendChild(kids(this.part(last, "choice")));
      var fb = this.part(last, "feedback"), fx = this.changes(last, s.meters);
      el["feedback-text"].textContent = "";
      el["feedback-text"].appendChild(kids(fb));
      el.effects.textContent = fx;
      el.effects.hidden = !fx;
      el.feedback.hidden = !fb && !fx;
    }

    this.node.setAttribute("data-node", s.node);
    this.node.textContent = "";
    if (t) {
      var parts = t.querySelectorAll(".cq-node__who, .cq-outcome, .cq-node__text");
      for (i = 0; i < parts.length; i++) this.node.appendChild(copy(parts[i]));
    }

    if (this.ending) this.root.setAttribute("data-ending", this.ending);
    else this.root.removeAttribute("data-ending");
    var list = el["choice-list"];
    list.textContent = "";
    var choices = node.choices || [];
    for (i = 0; i < choices.length; i++) {
      if (!this.meets(choices[i], s.meters)) continue;
      var b = make("button", "cq-choice");
      b.type = "button";
      b.setAttribute("data-choice", i);
      b.setAttribute("dir", "auto"); // author text: its own direction (issue 10 item 7)
      b.appendChild(kids(q(t, '[data-choice-text="' + i + '"]')));
      var li = make("li");
      li.appendChild(b);
      list.appendChild(li);
    }
    el.choices.hidden = !!this.ending;

    el.recap.hidden = !this.ending;
    el["recap-list"].textContent = "";
    if (this.ending) {
      for (i = 0; i < s.steps.length; i++) {
        var step = s.steps[i], n = d.nodes[step.node], item = make("li", "cq-recap__step");
        var after = i + 1 < s.steps.length ? s.steps[i + 1].before : s.meters;
        var who = [n.speaker, n.mood].filter(Boolean).join(", ");
        item.appendChild(make("p", "cq-recap__meta", "Step " + (i + 1) + (who ? " \u00b7 " + who : "")));
        var said = make("p", "cq-recap__said");
        said.appendChild(make("span", "cq-reply__who", "You"));
        said.appendChild(kids(this.part(step, "choice")));
        item.appendChild(said);
        var rf = this.part(step, "feedback");
        if (rf) item.appendChild(copy(rf)).className = "cq-recap__feedback";
        var rx = this.changes(step, after);
        if (rx) item.appendChild(make("p", "cq-coach__effects", rx));
        el["recap-list"].appendChild(item);
      }
    }
    this.back.disabled = this.restart.disabled = !s.path.length;
    return s;
  };

  Course.register("cq-scenario", Scenario);
})();
