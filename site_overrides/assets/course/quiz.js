/* Quiz widget: [data-module="cq-quiz"]. Native controls; the result is announced via role=status.
 * Issue 9: every option gets data-verdict (correct|incorrect|missed) after Check, order items
 * correct|incorrect; right answers are revealed by the quiz's `reveal` rule (a number of attempts,
 * "pass" or "never"); Check with unanswered questions (or an order place used twice) shows the
 * error summary [data-quiz-errors] and counts no attempt; "Try again" keeps right answers locked;
 * button[data-action="retake"] starts afresh; the root carries data-attempts and data-state.
 * Answers, state and attempts are kept in the learner's progress record of this quiz version
 * (window.CourseProgress: fields a, st, c, lk), so a reload or a later visit shows them again.
 * Issue 13: a pool (key.draw: a number, or {group: count}) draws questions per attempt (the draw is kept
 * as field d, indexes of the questions; undrawn fieldsets leave the form); key.attempts limits checked
 * attempts (the record's n counts them; the root carries data-attempts and data-attempts-left, and
 * data-locked once none are left); key.mode "exam" holds verdicts back until passed or locked;
 * key.time (seconds) is a time limit per attempt: a Start button, a countdown announced politely, a
 * warning with "Give me more time" (up to 10 times, WCAG 2.2.1), and at zero the answers so far are
 * checked as an attempt (the deadline is field e, extensions x). After a pass or the last attempt a
 * review [data-quiz-review] lists each question with the answer, verdict and explanation.
 * course:answered carries responses: [{id, type, response, correct, latency (ms or null), description}]
 * for the LMS's per-question records (builder/package/scorm.js). */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var ICON = { correct: "\u2714", incorrect: "\u2716", missed: "\u25cb" };
  var MAX_EXTENSIONS = 10; // WCAG 2.2.1: the learner can extend the time at least ten times

  /* a learner-facing string: the message catalog's text for `key` when there is one, else `fallback`;
   * {name} placeholders are filled from vars */
  function t(key, fallback, vars) {
    var text = null;
    try { if (Course.t) text = Course.t(key, vars); } catch (e) { text = null; }
    if (typeof text !== "string" || !text || text === key) text = fallback;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] != null ? String(vars[k]) : m; });
  }

  /* n distinct random integers from 0..size-1 */
  function sample(list, n) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var k = Math.floor(Math.random() * (i + 1)), x = a[i];
      a[i] = a[k]; a[k] = x;
    }
    return a.slice(0, n);
  }

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

  /* interface strings of the course's language (Course.msg in course.js, issue 14) */
  function M(key, params) { return Course.msg(key, params); }

  function ordinal(n) { return M("quiz.place", { n: n }); }

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
    this.startBtn = root.querySelector('button[data-action="start"]');
    this.timerBox = root.querySelector("[data-quiz-timer]");
    this.questions = [];
    this.attempts = 0;
    this.state = "";
    this.limit = Math.max(0, Math.floor(Number(this.key.attempts) || 0));
    this.exam = this.key.mode === "exam";
    this.pool = this.key.draw != null;
    this.timeLimit = Math.max(0, Number(this.key.time) || 0);
    this.fresh = this.pool || this.exam || !!this.timeLimit; // every new attempt starts afresh
    this.used = 0; // checked attempts of this version (the progress record's n): what the limit counts
    this.best = null;
    this.drawn = null;
    this.deadline = 0;
    this.extended = 0;
    this.shownAt = Date.now();
    var fieldsets = root.querySelectorAll("[data-question]");
    for (var i = 0; i < fieldsets.length; i++) {
      var place = document.createComment("question " + (i + 1));
      fieldsets[i].parentNode.insertBefore(place, fieldsets[i]);
      this.questions.push({ el: fieldsets[i], key: this.key.questions[i], index: i, locked: false, place: place });
    }
    this.all = this.questions.slice();
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); if (!self.state) self.check(); });
    this.checkBtn.addEventListener("click", function () { self.check(); });
    this.retryBtn.addEventListener("click", function () { self.retry(); });
    if (this.retakeBtn) this.retakeBtn.addEventListener("click", function () { self.retake(); });
    if (this.startBtn) this.startBtn.addEventListener("click", function () { self.begin(); });
    var extendBtn = root.querySelector('button[data-action="extend"]');
    if (extendBtn) extendBtn.addEventListener("click", function () { self.extend(); });
    this.form.addEventListener("change", function (e) { self.changed(e); });
    this.form.addEventListener("input", function (e) { self.changed(e); });
    if (this.errors) this.errors.addEventListener("click", function (e) { self.jump(e); });
    root.classList.add("cq-js");
    this.checkBtn.hidden = false;
    if (root.hasAttribute("data-shuffle")) this.shuffle();
    this.restore();
    if (this.pool && !this.drawn) { this.draw(); this.save(); }
    this.showLeft();
    if (this.locked && !this.state) this.lockView();
    else if (this.timeLimit && !this.state && !this.locked) {
      if (this.deadline) this.run(); else this.gate();
    }
  }

  // ------------------------------------------------------------ pool, attempts left

  /* the questions of a new attempt: key.draw questions at random (or {group: count}), never the same
   * set twice in a row when the pool allows another */
  Quiz.prototype.draw = function () {
    var spec = this.key.draw, all = this.all, before = this.drawn ? this.drawn.join(",") : "", pick = [];
    for (var tries = 0; tries < 8; tries++) {
      pick = [];
      if (typeof spec === "number") pick = sample(all.map(function (q) { return q.index; }), spec);
      else {
        Object.keys(spec).sort().forEach(function (g) {
          var members = all.filter(function (q) { return q.key.group === g; }).map(function (q) { return q.index; });
          pick = pick.concat(sample(members, spec[g]));
        });
      }
      pick.sort(function (a, b) { return a - b; });
      if (pick.join(",") !== before) break;
    }
    this.useDraw(pick);
  };

  /* show only the questions `indexes` (numbered 1..n), the others leave the form */
  Quiz.prototype.useDraw = function (indexes) {
    this.drawn = indexes.slice();
    this.questions = [];
    for (var i = 0; i < this.all.length; i++) {
      var q = this.all[i];
      if (indexes.indexOf(q.index) !== -1) {
        this.questions.push(q);
        if (!q.el.parentNode) q.place.parentNode.insertBefore(q.el, q.place.nextSibling);
      } else if (q.el.parentNode) q.el.parentNode.removeChild(q.el);
    }
    var total = this.questions.length;
    this.questions.forEach(function (q, n) {
      var num = q.el.querySelector(".cq-question__number");
      if (num) num.textContent = t("quiz.question_number", "Question {n} of {total}.", { n: n + 1, total: total });
    });
  };

  Quiz.prototype.validDraw = function (d) {
    if (!Array.isArray(d) || !d.length) return false;
    var want = typeof this.key.draw === "number" ? this.key.draw : 0, self = this, seen = {};
    if (typeof this.key.draw === "object") for (var g in this.key.draw) want += this.key.draw[g];
    return d.length === want && d.every(function (i) {
      var ok = Number.isInteger(i) && i >= 0 && i < self.all.length && !seen[i];
      seen[i] = 1;
      return ok;
    });
  };

  Quiz.prototype.left = function () { return this.limit ? Math.max(0, this.limit - this.used) : Infinity; };

  Quiz.prototype.showLeft = function () {
    this.locked = !!this.limit && this.left() === 0;
    this.root.setAttribute("data-attempts", String(this.limit ? this.used : this.attempts));
    if (this.limit) this.root.setAttribute("data-attempts-left", String(this.left()));
    this.root.toggleAttribute("data-locked", this.locked);
  };

  /* out of attempts with no answers to show (e.g. only the LMS's record came back): the best result */
  Quiz.prototype.lockView = function () {
    this.all.forEach(function (q) { q.el.hidden = true; });
    this.checkBtn.hidden = true;
    this.retryBtn.hidden = true;
    if (this.retakeBtn) this.retakeBtn.hidden = true;
    if (this.startBtn) this.startBtn.hidden = true;
    this.result.replaceChildren(make("p", "cq-quiz__locked", this.lockedText()));
  };

  Quiz.prototype.lockedText = function () {
    var text = t("quiz.locked", "You have used all {n} attempts at this quiz.", { n: this.limit });
    if (this.best !== null) text += " " + t("quiz.bestScore", "Your best score: {best}%.", { best: this.best });
    return text;
  };

  // ------------------------------------------------------------ time limit

  /* The clock of a timed quiz (gate, begin, run, tick, extend) is in quiz-timer.js, which only pages
   * with a timed quiz load (issue 17 item 3); a timed quiz starts once it is there. */
  Quiz.ready = function (el) { return !el.hasAttribute("data-time-limit") || typeof Quiz.prototype.gate === "function"; };

  Quiz.prototype.stopTimer = function () {
    clearInterval(this.timer);
    this.timer = null;
    this.deadline = 0;
    if (!this.timerBox) return;
    this.timerBox.hidden = true;
    this.timerBox.classList.remove("cq-quiz__timer--warning");
    this.root.querySelector("[data-quiz-timer-warning]").hidden = true;
    this.root.querySelector('button[data-action="extend"]').hidden = true;
  };

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
    if (type === "single" || type === "true_false") return a === null ? M("quiz.error_choose", { n: n }) : "";
    if (type === "multiple") return a.length ? "" : M("quiz.error_choose_some", { n: n });
    if (type === "text") return norm(a) ? "" : M("quiz.error_type", { n: n });
    if (type === "order") {
      if (a.indexOf(0) !== -1) return M("quiz.error_place_all", { n: n });
      for (var i = 0; i < a.length; i++) {
        if (a.indexOf(a[i]) !== i) return M("quiz.error_place_twice", { n: n, place: ordinal(a[i]) });
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
        if (chosen && right) setVerdict(li, "correct", M(key.type === "multiple" ? "quiz.correct_option" : "quiz.correct"));
        else if (chosen) setVerdict(li, "incorrect", M("quiz.incorrect_option"));
        else if (right && reveal) setVerdict(li, "missed", M(key.type === "multiple" ? "quiz.missed_multiple" : "quiz.missed_single"));
        else setVerdict(li, null);
      }
    } else if (key.type === "order") {
      var rows = all(el, ".cq-order__item");
      for (i = 0; i < rows.length; i++) {
        if (g.right[i]) setVerdict(rows[i], "correct", M("quiz.right_place"));
        else setVerdict(rows[i], "incorrect", reveal ? M("quiz.wrong_place_reveal", { place: ordinal(key.order[i] + 1) }) : M("quiz.wrong_place"));
      }
    } else if (key.type === "text") {
      var show = el.querySelector("[data-reveal-answer]");
      if (show) {
        show.textContent = !g.ok && reveal && key.show ? M("quiz.accepted_answer", { answer: key.show }) : "";
        show.hidden = !show.textContent;
      }
    }
    var verdict = el.querySelector(".cq-question__verdict");
    verdict.textContent = g.ok ? M("quiz.correct") : M("quiz.not_quite");
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

  /* timedOut: the time limit ran out, so the answers so far are checked as they are */
  Quiz.prototype.check = function (timedOut) {
    if (this.state || this.locked || this.gated()) return;
    timedOut = timedOut === true;
    var problems = [], i;
    for (i = 0; i < this.questions.length && !timedOut; i++) {
      var q = this.questions[i], text = q.locked ? "" : this.problem(q, i + 1);
      if (text) problems.push({ q: q, text: text });
    }
    if (problems.length && this.errors) return this.showErrors(problems);
    this.hideErrors();
    this.stopTimer();
    this.attempts++;
    this.used++;
    var responses = this.responses();
    var outcome = this.mark(true, timedOut);
    this.best = this.best === null ? outcome.percent : Math.max(this.best, outcome.percent);
    Course.emit(this.root, "course:answered", {
      quiz: this.id, version: this.key.version, score: outcome.score, max: outcome.max,
      percent: outcome.percent, passed: outcome.passed, passMark: this.passMark, answers: outcome.answers,
      attempts: this.attempts, attemptsUsed: this.used, timedOut: timedOut, responses: responses
    });
    this.save(); // the progress record was rebuilt by the event: put this quiz's answers back in
  };

  Quiz.prototype.gated = function () { return !!this.startBtn && !this.startBtn.hidden; };

  /* per question, for the LMS's interaction records (issue 13 item 5): response in a neutral shape
   * (choice: option numbers as shown in the key; true_false: boolean; text: the typed text; order: the
   * items' correct positions in the order the learner put them), latency in ms where known */
  Quiz.prototype.responses = function () {
    var self = this;
    return this.questions.map(function (q) {
      var a = self.read(q), type = q.key.type, response = a;
      if (type === "order") {
        var byPlace = [];
        a.forEach(function (place, i) { if (place) byPlace.push({ place: place, item: q.key.order[i] }); });
        byPlace.sort(function (x, y) { return x.place - y.place; });
        response = byPlace.map(function (x) { return x.item; });
      }
      var text = q.el.querySelector(".cq-question__text");
      return {
        id: q.key.id, type: type, response: response, correct: self.grade(q).ok,
        latency: q.changedAt && q.changedAt >= self.shownAt ? q.changedAt - self.shownAt : null,
        description: text ? text.textContent.replace(/\s+/g, " ").trim().slice(0, 250) : ""
      };
    });
  };

  /* grade and show every question, the result and the buttons; focus the result when asked */
  Quiz.prototype.mark = function (focus, timedOut) {
    var score = 0, answers = [], grades = [], i;
    for (i = 0; i < this.questions.length; i++) {
      grades[i] = this.grade(this.questions[i]);
      if (grades[i].ok) score++;
      answers.push({ id: this.questions[i].key.id, correct: grades[i].ok });
    }
    var max = this.questions.length;
    var percent = max ? Math.round((score / max) * 100) : 0;
    var passed = percent >= this.passMark;
    this.state = passed ? "passed" : "failed";
    this.showLeft();
    var held = this.exam && !passed && !this.locked, reveal = !held && this.revealed(passed);
    for (i = 0; i < this.questions.length; i++) {
      if (held) { this.unpaint(this.questions[i]); this.setDisabled(this.questions[i].el, true); }
      else this.paint(this.questions[i], grades[i], reveal);
    }
    this.checked = true; // (older name of the same fact, kept for scripts that read it)
    this.root.setAttribute("data-state", this.state);
    this.root.toggleAttribute("data-held", held);
    this.showResult(score, max, percent, passed, reveal, grades, { held: held, timedOut: timedOut });
    this.checkBtn.hidden = true;
    if (this.startBtn) this.startBtn.hidden = true;
    this.retryBtn.hidden = this.locked || (this.fresh ? passed : score === max);
    if (this.retakeBtn) this.retakeBtn.hidden = this.locked || (this.fresh && !passed);
    if ((passed || this.locked) && !held) this.showReview(grades, reveal);
    else this.hideReview();
    if (focus) {
      this.result.focus();
      if (this.result.scrollIntoView) this.result.scrollIntoView({ block: "nearest" });
    }
    return { score: score, max: max, percent: percent, passed: passed, answers: answers };
  };

  Quiz.prototype.showResult = function (score, max, percent, passed, reveal, grades, how) {
    var box = this.result, parts = [];
    how = how || {};
    if (how.timedOut) parts.push(make("p", "cq-quiz__timeout", t("quiz.time.up", "Time is up: the answers you had given were checked.")));
    var verdict = passed ? "quiz.score_passed" : this.locked ? "quiz.score_locked" : how.held
      ? (this.limit ? "quiz.score_held" : "quiz.score_held_unlimited") : "quiz.score_failed";
    var line = make("p", "cq-quiz__score", M(verdict, { score: score, max: max, percent: percent, pass_mark: this.passMark }));
    parts.push(line);
    if (this.limit) {
      var best = this.best === null ? percent : Math.max(this.best, percent);
      parts.push(make("p", "cq-quiz__attempts", this.locked
        ? t("quiz.locked", "You have used all {n} attempts at this quiz.", { n: this.limit }) + " " +
          t("quiz.bestScore", "Your best score: {best}%.", { best: best })
        : this.left() === 1 ? t("quiz.attemptLeft", "You have 1 attempt left.")
          : t("quiz.attemptsLeft", "You have {n} attempts left.", { n: this.left() })));
    }
    var wrong = [];
    grades.forEach(function (g, i) { if (!g.ok) wrong.push(i); });
    if (wrong.length && !how.held) {
      var p = make("p", "cq-quiz__review"), links = document.createDocumentFragment();
      var self = this;
      wrong.forEach(function (i, n) {
        var a = make("a", null, M("quiz.review_question", { n: i + 1 }));
        a.href = "#" + self.questions[i].el.id;
        a.addEventListener("click", function (e) {
          var el = self.questions[i].el;
          e.preventDefault();
          el.setAttribute("tabindex", "-1");
          el.scrollIntoView({ block: "start" });
          el.focus({ preventScroll: true });
        });
        if (n) links.appendChild(document.createTextNode(M("quiz.list_separator")));
        links.appendChild(a);
      });
      p.append.apply(p, Course.msgNodes("quiz.review", { questions: links }));
      parts.push(p);
      var note = "";
      if (reveal) note = M("quiz.answers_shown");
      else if (typeof this.reveal === "number") note = M("quiz.answers_shown_after", { count: this.reveal });
      if (note) parts.push(make("p", "cq-quiz__reveal-note", note));
    }
    if (passed) {
      var next = nextPage();
      if (next) {
        var link = make("a", "md-button md-button--primary cq-quiz__next", M("quiz.next", { title: next.title }));
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
    if (!this.state || this.locked) return;
    if (this.fresh) return this.restart(false);
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
    if (this.locked) return;
    this.restart(true);
  };

  /* a new attempt with nothing kept: a new draw from a pool, the clock ready to start again;
   * `again` (Start the quiz again) also starts the count of attempts shown for the reveal rule afresh */
  Quiz.prototype.restart = function (again) {
    this.form.reset();
    if (again) this.attempts = 0;
    for (var i = 0; i < this.all.length; i++) {
      this.all[i].locked = false;
      this.all[i].changedAt = 0;
      this.all[i].el.classList.remove("cq-question--locked");
      this.unpaint(this.all[i]);
    }
    this.hideErrors();
    this.hideReview();
    this.root.removeAttribute("data-held");
    if (this.pool) this.draw();
    if (this.root.hasAttribute("data-shuffle")) this.shuffle();
    this.reopen();
    this.showLeft();
    this.shownAt = Date.now();
    if (this.timeLimit) {
      this.gate();
      this.startBtn.focus();
    } else {
      var first = this.root.querySelector("fieldset input, fieldset select");
      if (first) first.focus();
    }
    this.save();
  };

  // ------------------------------------------------------------ results review (issue 13 item 6)

  Quiz.prototype.answerText = function (q) {
    var a = this.read(q), type = q.key.type, none = t("quiz.review.noAnswer", "(no answer)");
    if (type === "true_false") return a === null ? none : M(a ? "quiz.true" : "quiz.false");
    if (type === "text") return a ? a : none;
    if (type === "order") {
      var items = all(q.el, ".cq-order__text"), rows = [];
      a.forEach(function (place, i) { if (place) rows.push({ place: place, text: items[i].textContent.trim() }); });
      rows.sort(function (x, y) { return x.place - y.place; });
      return rows.length ? rows.map(function (r) { return ordinal(r.place) + ": " + r.text; }).join("; ") : none;
    }
    var texts = all(q.el, "input:checked").map(function (box) {
      var text = box.closest(".cq-option").querySelector(".cq-option__text");
      return text ? text.textContent.trim() : box.value;
    });
    return texts.length ? texts.join("; ") : none;
  };

  Quiz.prototype.showReview = function (grades, reveal) {
    var box = this.root.querySelector("[data-quiz-review]"), self = this;
    if (!box) {
      box = make("section", "cq-quiz__review-all");
      box.setAttribute("data-quiz-review", "");
      this.result.parentNode.insertBefore(box, this.result.nextSibling);
    }
    var head = make("h2", "cq-quiz__review-title", t("quiz.review.title", "Review your answers"));
    head.id = (this.form.getAttribute("aria-labelledby") || "cq") + "-review";
    box.setAttribute("aria-labelledby", head.id);
    var list = make("ol", "cq-quiz__review-list");
    this.questions.forEach(function (q, i) {
      var g = grades[i], li = make("li", "cq-review__item");
      li.setAttribute("data-review-question", q.key.id);
      li.setAttribute("data-verdict", g.ok ? "correct" : "incorrect");
      var prompt = q.el.querySelector(".cq-question__text");
      li.appendChild(make("p", "cq-review__prompt", prompt ? prompt.textContent.trim() : ""));
      li.appendChild(make("p", "cq-review__answer", t("quiz.review.yourAnswer", "Your answer: {answer}", { answer: self.answerText(q) })));
      var v = make("p", "cq-review__verdict"), icon = make("span", "cq-verdict-icon", ICON[g.ok ? "correct" : "incorrect"]);
      icon.setAttribute("aria-hidden", "true");
      v.append(icon, " ", g.ok ? t("quiz.review.correct", "Correct.") : t("quiz.review.incorrect", "Incorrect."));
      li.appendChild(v);
      if (!g.ok && reveal && q.key.type === "text" && q.key.show) {
        li.appendChild(make("p", "cq-review__right", t("quiz.review.accepted", "An accepted answer: {answer}", { answer: q.key.show })));
      }
      var expl = q.el.querySelector("[data-explanation]");
      if (expl) {
        var copy = make("div", "cq-review__explanation");
        for (var c = expl.firstChild; c; c = c.nextSibling) copy.appendChild(c.cloneNode(true)); // nodes, never HTML text
        li.appendChild(copy);
      }
      list.appendChild(li);
    });
    box.replaceChildren(head, list);
    box.hidden = false;
  };

  Quiz.prototype.hideReview = function () {
    var box = this.root.querySelector("[data-quiz-review]");
    if (box) { box.hidden = true; box.replaceChildren(); }
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
    var field = e && e.target && e.target.closest && e.target.closest("[data-question]");
    for (var j = 0; field && j < this.questions.length; j++) if (this.questions[j].el === field) this.questions[j].changedAt = Date.now();
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
      delete rec.a; delete rec.st; delete rec.c; delete rec.lk; delete rec.d; delete rec.e; delete rec.x;
      if (any || this.attempts) rec.a = a;
      if (this.state) rec.st = this.state;
      if (this.attempts) rec.c = this.attempts;
      if (locked.length) rec.lk = locked;
      if (this.pool && this.drawn) rec.d = this.drawn.slice();
      if (this.deadline && !this.state) { rec.e = this.deadline; if (this.extended) rec.x = this.extended; }
      if (rec.n === 0 && !rec.a && !rec.d && !rec.e) { delete s.quizzes[this.id]; P.save(); return; }
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
    if (!rec || rec.v !== this.key.version) return;
    this.used = Math.max(0, Math.floor(Number(rec.n) || 0));
    this.best = rec.n && typeof rec.best === "number" ? rec.best : null;
    if (this.pool && this.validDraw(rec.d)) this.useDraw(rec.d);
    if (this.timeLimit && !rec.st && rec.e > 0) {
      this.deadline = Number(rec.e);
      this.extended = Math.min(MAX_EXTENSIONS, Math.max(0, Math.floor(Number(rec.x) || 0)));
    }
    this.showLeft();
    if (!Array.isArray(rec.a) || rec.a.length !== this.questions.length) return;
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
