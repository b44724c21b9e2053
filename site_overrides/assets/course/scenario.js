/* Scenario player, [data-module="cq-scenario"]. Author text is cloned from sanitized
 * <template data-tpl="<node id>">; structure is read from script[data-scenario-data].
 * The conversation reads top to bottom like a chat: [data-transcript] holds one [data-turn] per
 * choice made (the speaker's line, the learner's reply, the coaching); the current node
 * [data-node] (focused after each step) sits at the foot of the newest turn (issue 9 item 5).
 * On choose/back/restart/retry-from it emits course:scenario
 *   {scenario, version, node, ending (or null), path: [choice indexes], meters, action}
 * and saves {path} in localStorage "cq-scenario:<storage_key or page path>:<id>:<version>";
 * another tab's change to that key is followed here (issue 11 item 6).
 * Endings found so far come from the progress store (CourseProgress, scenario record `found`). */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var OUTCOME = { success: "Success", partial: "Partial success", failure: "Failure" };
  var MINUS = "\u2212";

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
  function signed(n) { return n > 0 ? "+" + n : n < 0 ? MINUS + Math.abs(n) : "\u00b10"; }
  function validPath(path) {
    if (!(path instanceof Array)) return [];
    path = path.slice(0, 1000);
    for (var i = 0; i < path.length; i++) if (path[i] !== (path[i] | 0) || path[i] < 0) return path.slice(0, i);
    return path;
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
    this.found = {};
    this.el = {};
    ["player", "transcript", "choices", "choice-list", "recap", "recap-list", "best-path", "best-list", "endings",
      "endings-count", "live"].forEach(function (n) { self.el[n] = q(root, "[data-" + n + "]"); });
    this.node = q(root, ".cq-node");
    this.back = q(root, '[data-action="back"]');
    this.restart = q(root, '[data-action="restart"]');
    this.el["choice-list"].addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button[data-choice]");
      /* e.detail > 1: the second click of a double click, landing on the next node's button */
      if (b && e.detail < 2) self.go(self.path.concat([Number(b.getAttribute("data-choice"))]), "choose");
    });
    this.el["recap-list"].addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest('button[data-action="retry-from"]');
      if (b) self.go(self.path.slice(0, Number(b.getAttribute("data-step"))), "retry-from");
    });
    this.back.addEventListener("click", function () { self.go(self.path.slice(0, -1), "back"); });
    this.restart.addEventListener("click", function () { self.go([], "restart"); });
    /* another tab played, went back or reset: follow it, so neither tab undoes the other */
    window.addEventListener("storage", function (e) {
      if (e.key !== self.key && e.key !== null) return;
      var path = self.load();
      if (path.join() === self.path.join()) return;
      self.path = path;
      self.render();
      self.el.live.textContent = "This scenario was changed in another window or tab; it now shows that step.";
    });
    document.addEventListener("course:progress", function () { self.showEndings(); });
    this.path = this.load();
    root.classList.add("cq-js");
    this.el.player.hidden = false;
    this.render();
  }

  Scenario.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.key) || "null");
      return validPath(saved && saved.path);
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
      steps.push({ node: at, index: path[i], before: before, effects: eff });
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
        this.said(last, s.meters) + (this.ending ? " The scenario is over. Outcome: " + OUTCOME[this.ending] + "." : "");
    } else if (action === "retry-from") {
      msg = "Back at step " + (s.steps.length + 1) + ", with the meters as they were then. Choose again.";
    } else {
      msg = action === "back" ? "Went back one step." : "Scenario restarted.";
    }
    this.el.live.textContent = msg;
    this.node.focus({ preventScroll: true });
    var turns = this.el.transcript.querySelectorAll("[data-turn]");
    var view = turns.length ? turns[turns.length - 1] : this.node, top = view.getBoundingClientRect().top;
    if (top < 60 || top > window.innerHeight * 0.6) view.scrollIntoView({ block: "start" });
    var at = this.node.getBoundingClientRect(); /* the focused line itself must be on screen */
    if (at.top > window.innerHeight - 60 || at.bottom < 70) this.node.scrollIntoView({ block: "nearest" });
    Course.emit(this.root, "course:scenario", {
      scenario: this.id, version: this.version, node: s.node, ending: this.ending, path: s.path.slice(),
      meters: s.meters, action: action
    });
    this.showEndings();
  };

  /* The choice text or its feedback for a step, from the node's template. */
  Scenario.prototype.part = function (step, what) {
    var t = this.tpl[step.node];
    return t && q(t, what === "choice" ? '[data-choice-text="' + step.index + '"]' : '[data-feedback-for="' + step.index + '"]');
  };

  /* "Customer's calm +1 · Trust in you −2" (what a step changed) */
  Scenario.prototype.changes = function (step, after) {
    var out = [];
    for (var k in after) {
      var diff = after[k] - step.before[k];
      if (diff) out.push(this.meterDef[k].label + " " + signed(diff));
    }
    return out.join(" \u00b7 ");
  };

  /* The same in words, for the live region: "Customer's calm went up by 1, to 4 of 7." */
  Scenario.prototype.said = function (step, after) {
    var out = [];
    for (var k in after) {
      var def = this.meterDef[k], diff = after[k] - step.before[k], now = after[k] + " of " + def.max;
      var low = after[k] <= def.min ? ", its lowest" : "";
      if (diff) out.push(def.label + (diff > 0 ? " went up by " : " went down by ") + Math.abs(diff) + ", to " + now + low + ".");
      else if (step.effects[k] < 0) out.push(def.label + " cannot go lower: it stays at " + now + low + ".");
    }
    return out.join(" ");
  };

  Scenario.prototype.line = function (nodeId) {
    var t = this.tpl[nodeId], line = make("div", "cq-line"), n = this.data.nodes[nodeId] || {};
    if (!n.speaker) line.className += " cq-line--narration";
    if (t) {
      var parts = t.querySelectorAll(".cq-node__who, .cq-node__text");
      for (var i = 0; i < parts.length; i++) line.appendChild(copy(parts[i]));
    }
    return line;
  };

  Scenario.prototype.renderMeters = function (s) {
    var last = s.steps[s.steps.length - 1], gauges = this.root.querySelectorAll("[data-meter]");
    for (var i = 0; i < gauges.length; i++) {
      var g = gauges[i], def = this.meterDef[g.getAttribute("data-meter")], v = s.meters[def.name];
      var share = def.max > def.min ? (v - def.min) / (def.max - def.min) : 1, low = v <= def.min && def.max > def.min;
      var label = v + " of " + def.max + (def.min ? " (lowest " + def.min + ")" : "");
      var diff = last ? v - last.before[def.name] : 0, tried = last && last.effects[def.name];
      var chip = q(g, "[data-meter-delta]"), state = q(g, "[data-meter-state]");
      g.setAttribute("data-value", v);
      g.setAttribute("aria-valuenow", v);
      g.setAttribute("aria-valuetext", label + (low ? ", critical: at its lowest" : "") +
        (diff ? (diff > 0 ? ", up " : ", down ") + Math.abs(diff) : ""));
      g.setAttribute("data-level", low ? "low" : share < 0.5 ? "mid" : "high");
      q(g, "[data-meter-text]").textContent = label;
      q(g, ".cq-meter__fill").style.width = Math.max(low ? 4 : 0, Math.round(share * 100)) + "%";
      if (chip) {
        chip.hidden = !diff && !tried;
        chip.textContent = signed(diff);
        chip.setAttribute("data-meter-delta", diff);
        chip.className = "cq-meter__delta cq-meter__delta--" + (diff > 0 ? "up" : diff < 0 ? "down" : "same");
      }
      if (state) {
        state.hidden = !low;
        state.textContent = low ? "Critical: at its lowest" : "";
      }
    }
  };

  Scenario.prototype.renderTranscript = function (s) {
    var box = this.el.transcript, host = box;
    box.textContent = "";
    for (var i = 0; i < s.steps.length; i++) {
      var step = s.steps[i], newest = i === s.steps.length - 1;
      var after = newest ? s.meters : s.steps[i + 1].before;
      var turn = make("div", "cq-turn");
      turn.setAttribute("data-turn", "");
      turn.setAttribute("data-step", i + 1);
      turn.appendChild(this.line(step.node));
      var reply = make("div", "cq-reply"), text = make("div", "cq-reply__text");
      reply.appendChild(make("span", "cq-reply__who", "You"));
      text.appendChild(kids(this.part(step, "choice")));
      text.setAttribute("dir", "auto"); // author text: its own direction (issue 10 item 7)
      reply.appendChild(text);
      turn.appendChild(reply);
      var fb = this.part(step, "feedback"), fx = this.changes(step, after);
      if (fb || fx) {
        var coach = make("div", "cq-coach"), body = make("div"), effects = make("p", "cq-coach__effects", fx);
        body.setAttribute("dir", "auto");
        coach.appendChild(make("p", "cq-coach__title", "Feedback"));
        body.appendChild(kids(fb));
        coach.appendChild(body);
        effects.hidden = !fx;
        coach.appendChild(effects);
        turn.appendChild(coach);
        if (newest) { /* the newest exchange keeps the single-turn contract of earlier versions */
          coach.setAttribute("data-feedback", "");
          body.setAttribute("data-feedback-text", "");
          effects.setAttribute("data-effects", "");
        }
      }
      if (newest) text.setAttribute("data-reply", "");
      box.appendChild(turn);
      host = turn;
    }
    host.appendChild(this.node);
  };

  Scenario.prototype.render = function () {
    var s = this.replay(this.path), d = this.data, el = this.el, i;
    this.path = s.path;
    var node = d.nodes[s.node] || {}, t = this.tpl[s.node];
    this.ending = node.ending || null;
    if (this.ending) this.found[s.node] = 1;

    this.renderMeters(s);
    this.renderTranscript(s);

    this.node.setAttribute("data-node", s.node);
    this.node.className = "cq-node" + (this.ending ? " cq-node--debrief" : node.speaker ? "" : " cq-node--narration");
    this.node.textContent = "";
    if (t) {
      if (this.ending) this.node.appendChild(make("p", "cq-coach__title", "Debrief"));
      var parts = t.querySelectorAll(".cq-node__who, .cq-outcome, .cq-node__text");
      for (i = 0; i < parts.length; i++) {
        if (this.ending && parts[i].className === "cq-node__who") continue; /* a coach's card, not their line */
        this.node.appendChild(copy(parts[i]));
      }
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
        var retry = make("button", "md-button cq-retry", "Try step " + (i + 1) + " again");
        retry.type = "button";
        retry.setAttribute("data-action", "retry-from");
        retry.setAttribute("data-step", i);
        item.appendChild(retry);
        el["recap-list"].appendChild(item);
      }
    }
    this.renderBest();
    this.back.disabled = this.restart.disabled = !s.path.length;
    this.showEndings();
    return s;
  };

  /* After a success ending: a best path, as the learner's own replies (issue 9 item 7). */
  Scenario.prototype.renderBest = function () {
    var box = this.el["best-path"], list = this.el["best-list"], best = this.data.best || [];
    if (!box) return;
    list.textContent = "";
    var s = this.ending === "success" && best.length ? this.replay(best) : null;
    box.hidden = !s || s.steps.length !== best.length;
    if (box.hidden) return;
    var same = s.path.join() === this.path.join();
    for (var i = 0; i < s.steps.length; i++) {
      var li = make("li");
      li.appendChild(kids(this.part(s.steps[i], "choice")));
      list.appendChild(li);
    }
    box.setAttribute("data-same", same ? "true" : "false");
  };

  /* [data-endings]: which endings this learner has found, for this scenario version. */
  Scenario.prototype.showEndings = function () {
    var box = this.el.endings;
    if (!box) return;
    var P = window.CourseProgress, rec = null, i;
    try { rec = P && P.load && P.load().scenarios[this.id]; } catch (e) { rec = null; }
    var stored = rec && rec.v === this.version && rec.found instanceof Array ? rec.found : [];
    if (P && P.load) { /* the progress store is the record (a reset elsewhere clears it) */
      this.found = {};
      if (this.ending) this.found[this.replay(this.path).node] = 1;
    }
    for (i = 0; i < stored.length; i++) this.found[stored[i]] = 1;
    var items = box.querySelectorAll("[data-ending-item]"), n = 0;
    for (i = 0; i < items.length; i++) {
      var li = items[i], got = !!this.found[li.getAttribute("data-ending-item")];
      n += got ? 1 : 0;
      li.setAttribute("data-found", got ? "true" : "false");
      q(li, "[data-ending-name]").hidden = !got;
      q(li, "[data-ending-unknown]").hidden = got;
      q(li, "[data-ending-state]").textContent = got ? "Found: " : "";
    }
    this.el["endings-count"].textContent = n + " of " + items.length;
  };

  Course.register("cq-scenario", Scenario);
})();
