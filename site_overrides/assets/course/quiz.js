/* Quiz widget: [data-module="cq-quiz"]. Native controls; the result is announced via role=status.
 * Issue 9: every option gets data-verdict (correct|incorrect|missed) after Check, order items
 * correct|incorrect; right answers are revealed by the quiz's `reveal` rule (a number of attempts,
 * "pass" or "never"); Check with unanswered questions (or an order place used twice) shows the
 * error summary [data-quiz-errors] and counts no attempt; "Try again" keeps right answers locked;
 * button[data-action="retake"] starts afresh; the root carries data-attempts and data-state.
 * Answers, state and attempts are kept in the learner's progress record of this quiz version
 * (window.CourseProgress: fields a, st, c, lk), so a reload or a later visit shows them again. */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var ICON = { correct: "\u2714", incorrect: "\u2716", missed: "\u25cb" };

  function decodeKey(el) {
    var raw = JSON.parse(el.textContent);
    var bin = atob(raw);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  function norm(text) {
    if (Course.normaliseAnswer) return Course.normaliseAnswer(text);
    return String(text || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function ordinal(n) {
    var t = n % 100;
    return n + (t > 10 && t < 14 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th");
  }

  function answered(type, a) {
    if (type === "order") return Array.isArray(a) && a.some(Boolean); // 0: no place chosen
    return Array.isArray(a) ? a.length > 0 : a !== null && a !== "";
  }

  function all(el, sel) { return Array.prototype.slice.call(el.querySelectorAll(sel)); }

  function make(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  /* the course's root URL, from where our own scripts were loaded */
  function siteRoot() {
    var s = document.querySelector('script[src*="assets/course/"]');
    return s ? s.src.replace(/assets\/course\/[^/]*$/, "") : "";
  }

  /* the next learning page after this one, in the manifest's (navigation) order */
  function nextPage() {
    var M = window.COURSE_MANIFEST, P = window.CourseProgress, root = siteRoot();
    if (M && M.pages && P && P.urlOf && root) {
      var here = P.urlOf(location.href), pages = M.pages, i, found = -1;
      for (i = 0; i < pages.length; i++) if (pages[i].url === here) found = i;
      if (found >= 0) {
        for (i = found + 1; i < pages.length; i++) {
          if (!pages[i].tool) return { href: root + pages[i].url, title: pages[i].title };
        }
        // the last page: on to the certificate, else My progress, else the course's first page
        var order = ["completion", "progress"];
        for (var t = 0; t < order.length; t++) {
          for (i = 0; i < pages.length; i++) {
            if (pages[i].tool === order[t] && i !== found) return { href: root + pages[i].url, title: pages[i].title };
          }
        }
        return found > 0 ? { href: root + pages[0].url, title: pages[0].title } : null;
      }
    }
    var link = document.querySelector("a.md-footer__link--next");
    if (!link) return null;
    var title = link.querySelector(".md-footer__title .md-ellipsis") || link;
    return { href: link.href, title: title.textContent.trim() };
  }

  function Quiz(root) {
    this.root = root;
    this.id = root.getAttribute("data-quiz");
    this.form = root.querySelector("form");
    this.key = decodeKey(root.querySelector("script[data-quiz-key]"));
    this.passMark = Number(this.key.pass);
    this.reveal = this.key.reveal == null ? 2 : this.key.reveal;
    this.checkBtn = root.querySelector('button[data-action="check"]');
    this.retryBtn = root.querySelector('button[data-action="retry"]');
    this.retakeBtn = root.querySelector('button[data-action="retake"]');
    this.result = root.querySelector("[data-quiz-result]");
    this.errors = root.querySelector("[data-quiz-errors]");
    this.questions = [];
    this.attempts = 0;
    this.state = "";
    var fieldsets = root.querySelectorAll("[data-question]");
    for (var i = 0; i < fieldsets.length; i++) {
      this.questions.push({ el: fieldsets[i], key: this.key.questions[i], index: i, locked: false });
    }
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); if (!self.state) self.check(); });
    this.checkBtn.addEventListener("click", function () { self.check(); });
    this.retryBtn.addEventListener("click", function () { self.retry(); });
    if (this.retakeBtn) this.retakeBtn.addEventListener("click", function () { self.retake(); });
    this.form.addEventListener("change", function (e) { self.changed(e); });
    this.form.addEventListener("input", function (e) { self.changed(e); });
    if (this.errors) this.errors.addEventListener("click", function (e) { self.jump(e); });
    root.classList.add("cq-js");
    this.checkBtn.hidden = false;
    if (root.hasAttribute("data-shuffle")) this.shuffle();
    this.restore();
    root.setAttribute("data-attempts", String(this.attempts));
  }

  // ------------------------------------------------------------ answers

  Quiz.prototype.read = function (q) {
    var type = q.key.type, el = q.el;
    if (type === "single" || type === "true_false") {
      var on = el.querySelector("input:checked");
      if (!on) return null;
      return type === "single" ? Number(on.value) : on.value === "true";
    }
    if (type === "multiple") return all(el, "input:checked").map(function (b) { return Number(b.value); }).sort(function (a, b) { return a - b; });
    if (type === "text") return el.querySelector("input").value.slice(0, 200);
    if (type === "order") return all(el, "select").map(function (s) { return Number(s.value) || 0; });
    return null;
  };

  Quiz.prototype.write = function (q, a) {
    var type = q.key.type, el = q.el;
    if (type === "text") { el.querySelector("input").value = typeof a === "string" ? a : ""; return; }
    if (type === "order") {
      all(el, "select").forEach(function (s, i) { s.value = Array.isArray(a) && a[i] ? String(a[i]) : ""; });
      return;
    }
    all(el, "input").forEach(function (box) {
      var v = type === "true_false" ? box.value === "true" : Number(box.value);
      box.checked = type === "multiple" ? Array.isArray(a) && a.indexOf(v) !== -1 : a === v;
    });
  };

  Quiz.prototype.answers = function () {
    var self = this;
    return this.questions.map(function (q) { return self.read(q); });
  };

  /* why a question cannot be marked yet ("" when it can) */
  Quiz.prototype.problem = function (q, n) {
    var a = this.read(q), type = q.key.type;
    if (type === "single" || type === "true_false") return a === null ? "Question " + n + ": choose an answer." : "";
    if (type === "multiple") return a.length ? "" : "Question " + n + ": choose at least one answer.";
    if (type === "text") return norm(a) ? "" : "Question " + n + ": type an answer.";
    if (type === "order") {
      if (a.indexOf(0) !== -1) return "Question " + n + ": give every item a place.";
      for (var i = 0; i < a.length; i++) {
        if (a.indexOf(a[i]) !== i) return "Question " + n + ": the " + ordinal(a[i]) + " place is given to more than one item. Give each item a different place.";
      }
    }
    return "";
  };

  /* {ok, right: [bool per option/item], chosen: [bool per option]} for the answer now in the controls */
  Quiz.prototype.grade = function (q) {
    var key = q.key, a = this.read(q), i;
    if (key.type === "single" || key.type === "multiple" || key.type === "true_false") {
      var boxes = all(q.el, "input"), right = [], chosen = [], ok = true;
      for (i = 0; i < boxes.length; i++) {
        var v = boxes[i].value;
        right[i] = key.type === "true_false" ? v === String(key.answer) : key.correct.indexOf(Number(v)) !== -1;
        chosen[i] = boxes[i].checked;
        if (right[i] !== chosen[i]) ok = false;
      }
      return { ok: ok, right: right, chosen: chosen };
    }
    if (key.type === "text") {
      var value = norm(a);
      return { ok: value !== "" && key.accept.indexOf(value) !== -1 };
    }
    if (key.type === "order") {
      var places = [], good = true;
      for (i = 0; i < a.length; i++) {
        places[i] = a[i] - 1 === key.order[i];
        if (!places[i]) good = false;
      }
      return { ok: good, right: places };
    }
    return { ok: false };
  };

  Quiz.prototype.revealed = function (passed) {
    if (this.reveal === "never") return false;
    if (passed) return true;
    return typeof this.reveal === "number" && this.attempts >= this.reveal;
  };

  // ------------------------------------------------------------ showing verdicts

  function setVerdict(li, verdict, words) {
    var box = li.querySelector("[data-option-verdict]");
    if (!verdict) {
      li.removeAttribute("data-verdict");
      if (box) { box.hidden = true; box.textContent = ""; }
      return;
    }
    li.setAttribute("data-verdict", verdict);
    if (!box) return;
    var icon = make("span", "cq-verdict-icon", ICON[verdict]);
    icon.setAttribute("aria-hidden", "true");
    box.replaceChildren(icon, " ", make("span", "cq-verdict-words", words));
    box.hidden = false;
  }

  Quiz.prototype.paint = function (q, g, reveal) {
    var el = q.el, key = q.key, i;
    el.classList.toggle("cq-question--correct", g.ok);
    el.classList.toggle("cq-question--wrong", !g.ok);
    el.classList.remove("cq-question--error");
    if (key.type === "single" || key.type === "multiple" || key.type === "true_false") {
      var items = all(el, ".cq-option");
      for (i = 0; i < items.length; i++) {
        var li = items[i], chosen = g.chosen[i], right = g.right[i];
        var fb = li.querySelector("[data-feedback]");
        if (fb) fb.hidden = !chosen;
        li.classList.toggle("cq-option--chosen", chosen);
        if (chosen && right) setVerdict(li, "correct", key.type === "multiple" ? "Correct: a right answer." : "Correct.");
        else if (chosen) setVerdict(li, "incorrect", "Incorrect: not a right answer.");
        else if (right && reveal) setVerdict(li, "missed", key.type === "multiple" ? "Missed: this is also a right answer." : "Missed: this is the right answer.");
        else setVerdict(li, null);
      }
    } else if (key.type === "order") {
      var rows = all(el, ".cq-order__item");
      for (i = 0; i < rows.length; i++) {
        if (g.right[i]) setVerdict(rows[i], "correct", "Right place.");
        else setVerdict(rows[i], "incorrect", reveal ? "Wrong place: it goes " + ordinal(key.order[i] + 1) + "." : "Wrong place.");
      }
    } else if (key.type === "text") {
      var show = el.querySelector("[data-reveal-answer]");
      if (show) {
        show.textContent = !g.ok && reveal && key.show ? "An accepted answer: " + key.show : "";
        show.hidden = !show.textContent;
      }
    }
    var verdict = el.querySelector(".cq-question__verdict");
    verdict.textContent = g.ok ? "Correct." : "Not quite.";
    verdict.hidden = false;
    var expl = el.querySelector("[data-explanation]");
    if (expl) expl.hidden = false;
    this.setDisabled(el, true);
  };

  Quiz.prototype.unpaint = function (q) {
    var el = q.el;
    el.classList.remove("cq-question--correct", "cq-question--wrong", "cq-question--error");
    all(el, "[data-feedback], p[data-verdict], [data-explanation], [data-reveal-answer], [data-question-error]").forEach(function (n) { n.hidden = true; });
    all(el, ".cq-option, .cq-order__item").forEach(function (li) { setVerdict(li, null); li.classList.remove("cq-option--chosen"); });
    el.removeAttribute("aria-describedby");
    this.setDisabled(el, false);
  };

  Quiz.prototype.setDisabled = function (el, off) {
    var controls = el.querySelectorAll("input, select");
    for (var i = 0; i < controls.length; i++) controls[i].disabled = off;
  };

  // ------------------------------------------------------------ error summary (GOV.UK pattern)

  Quiz.prototype.showErrors = function (list) {
    var ul = this.errors.querySelector("ul");
    ul.replaceChildren();
    list.forEach(function (p) {
      var link = make("a", null, p.text);
      link.href = "#" + p.q.el.id;
      var li = make("li");
      li.appendChild(link);
      ul.appendChild(li);
      var msg = p.q.el.querySelector("[data-question-error]");
      if (msg) {
        msg.textContent = p.text;
        msg.hidden = false;
        p.q.el.setAttribute("aria-describedby", msg.id);
      }
      p.q.el.classList.add("cq-question--error");
    });
    this.errors.hidden = false;
    this.errors.focus();
  };

  Quiz.prototype.hideErrors = function () {
    if (!this.errors) return;
    this.errors.hidden = true;
    this.errors.querySelector("ul").replaceChildren();
    this.questions.forEach(function (q) {
      var msg = q.el.querySelector("[data-question-error]");
      if (msg) { msg.hidden = true; msg.textContent = ""; }
      q.el.classList.remove("cq-question--error");
      q.el.removeAttribute("aria-describedby");
    });
  };

  Quiz.prototype.jump = function (e) {
    var link = e.target.closest && e.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    var control = target.querySelector("input:not(:disabled), select:not(:disabled)");
    target.scrollIntoView({ block: "start" });
    (control || target).focus();
  };

  // ------------------------------------------------------------ check, try again, retake

  Quiz.prototype.check = function () {
    if (this.state) return;
    var problems = [], i;
    for (i = 0; i < this.questions.length; i++) {
      var q = this.questions[i], text = q.locked ? "" : this.problem(q, i + 1);
      if (text) problems.push({ q: q, text: text });
    }
    if (problems.length && this.errors) return this.showErrors(problems);
    this.hideErrors();
    this.attempts++;
    var outcome = this.mark(true);
    Course.emit(this.root, "course:answered", {
      quiz: this.id, version: this.key.version, score: outcome.score, max: outcome.max,
      percent: outcome.percent, passed: outcome.passed, passMark: this.passMark, answers: outcome.answers,
      attempts: this.attempts
    });
    this.save(); // the progress record was rebuilt by the event: put this quiz's answers back in
  };

  /* grade and show every question, the result and the buttons; focus the result when asked */
  Quiz.prototype.mark = function (focus) {
    var score = 0, answers = [], grades = [], i;
    for (i = 0; i < this.questions.length; i++) {
      grades[i] = this.grade(this.questions[i]);
      if (grades[i].ok) score++;
      answers.push({ id: this.questions[i].key.id, correct: grades[i].ok });
    }
    var max = this.questions.length;
    var percent = max ? Math.round((score / max) * 100) : 0;
    var passed = percent >= this.passMark, reveal = this.revealed(passed);
    for (i = 0; i < this.questions.length; i++) this.paint(this.questions[i], grades[i], reveal);
    this.state = passed ? "passed" : "failed";
    this.checked = true; // (older name of the same fact, kept for scripts that read it)
    this.root.setAttribute("data-state", this.state);
    this.root.setAttribute("data-attempts", String(this.attempts));
    this.showResult(score, max, percent, passed, reveal, grades);
    this.checkBtn.hidden = true;
    this.retryBtn.hidden = score === max;
    if (this.retakeBtn) this.retakeBtn.hidden = false;
    if (focus) {
      this.result.focus();
      if (this.result.scrollIntoView) this.result.scrollIntoView({ block: "nearest" });
    }
    return { score: score, max: max, percent: percent, passed: passed, answers: answers };
  };

  Quiz.prototype.showResult = function (score, max, percent, passed, reveal, grades) {
    var box = this.result, parts = [];
    var line = make("p", "cq-quiz__score", "You scored " + score + " out of " + max + " (" + percent + "%). " +
      "The pass mark is " + this.passMark + "%: " +
      (passed ? "passed. Well done." : "not passed yet. Read the feedback, then try again."));
    parts.push(line);
    var wrong = [];
    grades.forEach(function (g, i) { if (!g.ok) wrong.push(i); });
    if (wrong.length) {
      var p = make("p", "cq-quiz__review", "To look at again: ");
      var self = this;
      wrong.forEach(function (i, n) {
        var a = make("a", null, "question " + (i + 1));
        a.href = "#" + self.questions[i].el.id;
        a.addEventListener("click", function (e) {
          var el = self.questions[i].el;
          e.preventDefault();
          el.setAttribute("tabindex", "-1");
          el.scrollIntoView({ block: "start" });
          el.focus({ preventScroll: true });
        });
        if (n) p.appendChild(document.createTextNode(", "));
        p.appendChild(a);
      });
      p.appendChild(document.createTextNode("."));
      parts.push(p);
      var note = "";
      if (reveal) note = "The right answers are shown.";
      else if (typeof this.reveal === "number") note = "The right answers are shown after " + this.reveal + " attempt" + (this.reveal === 1 ? "" : "s") + " or on a pass.";
      if (note) parts.push(make("p", "cq-quiz__reveal-note", note));
    }
    if (passed) {
      var next = nextPage();
      if (next) {
        var link = make("a", "md-button md-button--primary cq-quiz__next", "Next: " + next.title);
        link.href = next.href;
        link.setAttribute("data-quiz-next", "");
        var wrap = make("p", "cq-quiz__next-wrap");
        wrap.appendChild(link);
        parts.push(wrap);
      }
    }
    box.replaceChildren.apply(box, parts);
  };

  Quiz.prototype.retry = function () {
    if (!this.state) return;
    var firstOpen = null;
    for (var i = 0; i < this.questions.length; i++) {
      var q = this.questions[i], g = this.grade(q);
      if (g.ok) {
        q.locked = true; // stays answered, marked and disabled
        this.paint(q, g, false);
        q.el.classList.add("cq-question--locked");
      } else {
        q.locked = false;
        this.write(q, null);
        this.unpaint(q);
        if (!firstOpen) firstOpen = q;
      }
    }
    if (this.root.hasAttribute("data-shuffle")) this.shuffle();
    this.reopen();
    var first = firstOpen && firstOpen.el.querySelector("input, select");
    if (first) first.focus();
    this.save();
  };

  Quiz.prototype.retake = function () {
    this.form.reset();
    this.attempts = 0;
    for (var i = 0; i < this.questions.length; i++) {
      this.questions[i].locked = false;
      this.questions[i].el.classList.remove("cq-question--locked");
      this.unpaint(this.questions[i]);
    }
    this.hideErrors();
    if (this.root.hasAttribute("data-shuffle")) this.shuffle();
    this.reopen();
    this.root.setAttribute("data-attempts", "0");
    var first = this.root.querySelector("input, select");
    if (first) first.focus();
    this.save();
  };

  Quiz.prototype.reopen = function () {
    this.state = "";
    this.checked = false;
    this.root.removeAttribute("data-state");
    this.result.replaceChildren();
    this.retryBtn.hidden = true;
    if (this.retakeBtn) this.retakeBtn.hidden = true;
    this.checkBtn.hidden = false;
  };

  /* options move on every attempt; those with data-pin keep their place (issue 10, item 5) */
  Quiz.prototype.shuffle = function () {
    var lists = this.root.querySelectorAll(".cq-question[data-type='single'] .cq-options, .cq-question[data-type='multiple'] .cq-options");
    for (var i = 0; i < lists.length; i++) {
      if (lists[i].querySelector("input:disabled")) continue; // a locked question stays as it is
      var items = Array.prototype.slice.call(lists[i].children), free = [], j;
      for (j = 0; j < items.length; j++) if (!items[j].hasAttribute("data-pin")) free.push(items[j]);
      for (j = free.length - 1; j > 0; j--) {
        var k = Math.floor(Math.random() * (j + 1));
        var t = free[j]; free[j] = free[k]; free[k] = t;
      }
      var out = [], f = 0;
      for (j = 0; j < items.length; j++) out.push(items[j].hasAttribute("data-pin") ? items[j] : free[f++]);
      for (j = 0; j < out.length; j++) lists[i].appendChild(out[j]);
    }
  };

  // ------------------------------------------------------------ remembering

  Quiz.prototype.changed = function (e) {
    if (this.state) return;
    this.save(); // at once: a reload right after typing keeps the answer
    // a question flagged by the error summary loses its message once it is answered
    var el = e && e.target && e.target.closest && e.target.closest(".cq-question--error");
    for (var i = 0; el && i < this.questions.length; i++) {
      var q = this.questions[i], msg = q.el.querySelector("[data-question-error]");
      if (q.el !== el || this.problem(q, i + 1)) continue;
      q.el.classList.remove("cq-question--error");
      q.el.removeAttribute("aria-describedby");
      if (msg) msg.hidden = true;
    }
  };

  /* this quiz's answers, state, attempts and locked questions, in its progress record */
  Quiz.prototype.save = function () {
    var P = window.CourseProgress;
    if (!P || !P.load || !P.save) return;
    try {
      var s = P.load(), rec = s.quizzes[this.id], v = this.key.version;
      if (rec && rec.v !== v) return; // a record of an earlier version: replaced when this one is checked
      if (!rec) rec = { best: null, passed: false, v: v, n: 0, t: 0 };
      var a = this.answers(), any = false, locked = [];
      for (var i = 0; i < a.length; i++) {
        if (answered(this.questions[i].key.type, a[i])) any = true;
        if (this.questions[i].locked) locked.push(i);
      }
      delete rec.a; delete rec.st; delete rec.c; delete rec.lk;
      if (any || this.attempts) rec.a = a;
      if (this.state) rec.st = this.state;
      if (this.attempts) rec.c = this.attempts;
      if (locked.length) rec.lk = locked;
      if (rec.n === 0 && !rec.a) { delete s.quizzes[this.id]; P.save(); return; }
      rec.t = Date.now();
      s.quizzes[this.id] = rec;
      P.save();
    } catch (err) {
      if (window.console) console.error("course: could not keep the quiz answers", err);
    }
  };

  Quiz.prototype.restore = function () {
    var P = window.CourseProgress;
    if (!P || !P.load) return;
    var rec = P.load().quizzes[this.id];
    if (!rec || rec.v !== this.key.version || !Array.isArray(rec.a) || rec.a.length !== this.questions.length) return;
    var i, locked = Array.isArray(rec.lk) ? rec.lk : [];
    for (i = 0; i < this.questions.length; i++) this.write(this.questions[i], rec.a[i]);
    this.attempts = Math.max(0, Math.floor(Number(rec.c) || 0));
    if (rec.st === "passed" || rec.st === "failed") {
      for (i = 0; i < this.questions.length; i++) {
        this.questions[i].locked = locked.indexOf(i) !== -1;
        this.questions[i].el.classList.toggle("cq-question--locked", this.questions[i].locked);
      }
      this.mark(false);
      return;
    }
    for (i = 0; i < this.questions.length; i++) {
      var q = this.questions[i];
      if (locked.indexOf(i) === -1) continue;
      var g = this.grade(q);
      if (!g.ok) { this.write(q, null); continue; } // only a right answer stays locked
      q.locked = true;
      q.el.classList.add("cq-question--locked");
      this.paint(q, g, false);
    }
  };

  Course.register("cq-quiz", Quiz);
})();
