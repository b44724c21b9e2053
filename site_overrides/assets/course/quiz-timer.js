/* The time limit of a quiz (issue 13): the Start button, the clock, its spoken updates, the warning
 * with "Give me more time" (WCAG 2.2.1) and the check when time is up. Split from quiz.js (issue 17
 * item 3): only pages with a timed quiz (data-time-limit) load it, after quiz.js; it adds these
 * methods to quiz.js's widget class, and a timed quiz waits for them (Quiz.ready) before it starts. */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var Quiz = Course.modules && Course.modules["cq-quiz"];
  if (!Quiz) return;
  var MAX_EXTENSIONS = 10; // WCAG 2.2.1: the learner can extend the time at least ten times

  function t(key, fallback, vars) {
    var text = null;
    try { if (Course.t) text = Course.t(key, vars); } catch (e) { text = null; }
    if (typeof text !== "string" || !text || text === key) text = fallback;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] != null ? String(vars[k]) : m; });
  }

  function clockText(sec) {
    sec = Math.max(0, Math.ceil(sec));
    var m = Math.floor(sec / 60), s = sec % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function spanWords(sec) {
    sec = Math.max(0, Math.round(sec));
    if (sec >= 60 && sec % 60 === 0) return sec === 60 ? t("quiz.time.oneMinute", "1 minute") : t("quiz.time.minutes", "{n} minutes", { n: sec / 60 });
    if (sec > 90) return t("quiz.time.minutes", "{n} minutes", { n: Math.round(sec / 60) });
    return sec === 1 ? t("quiz.time.oneSecond", "1 second") : t("quiz.time.seconds", "{n} seconds", { n: sec });
  }



  /* a timed attempt starts when the learner asks: until then its questions are hidden */
  Quiz.prototype.gate = function () {
    this.questions.forEach(function (q) { q.el.hidden = true; });
    this.checkBtn.hidden = true;
    if (this.startBtn) {
      this.startBtn.textContent = t("quiz.start", "Start the attempt ({time})", { time: spanWords(this.timeLimit) });
      this.startBtn.hidden = false;
    }
  };

  Quiz.prototype.begin = function () {
    this.deadline = Date.now() + this.timeLimit * 1000;
    this.extended = 0;
    this.shownAt = Date.now();
    this.save();
    this.run();
    var first = this.root.querySelector("fieldset:not([hidden]) input, fieldset:not([hidden]) select");
    if (first) first.focus();
  };

  Quiz.prototype.run = function () {
    var self = this;
    this.questions.forEach(function (q) { q.el.hidden = false; });
    if (this.startBtn) this.startBtn.hidden = true;
    this.checkBtn.hidden = false;
    this.timerBox.hidden = false;
    this.warned = false;
    this.lastLeft = null;
    this.announce(t("quiz.time.start", "Time left: {time}.", { time: spanWords((this.deadline - Date.now()) / 1000) }));
    clearInterval(this.timer);
    this.timer = setInterval(function () { self.tick(); }, 1000);
    this.tick();
    this.fitSpace();
  };

  /* the sticky countdown's height, for the page's scroll padding (course.css): what focus or a link
   * scrolls to stops below the countdown, not under it (WCAG 2.4.11) */
  Quiz.prototype.fitSpace = function () {
    if (this.timerBox && !this.timerBox.hidden) {
      document.documentElement.style.setProperty("--cq-timer-block", this.timerBox.offsetHeight + "px");
    }
  };

  Quiz.prototype.announce = function (text) {
    var box = this.root.querySelector("[data-quiz-timer-announce]");
    if (box) box.textContent = text;
  };

  /* seconds before the end at which the warning (with "Give me more time") shows: at least 20 (WCAG 2.2.1) */
  Quiz.prototype.warnAt = function () { return Math.max(20, Math.min(60, Math.round(this.timeLimit / 4))); };

  Quiz.prototype.tick = function () {
    if (!document.documentElement.contains(this.root)) { clearInterval(this.timer); return; } // page left
    var left = Math.ceil((this.deadline - Date.now()) / 1000);
    if (left <= 0) { this.stopTimer(); this.check(true); return; }
    var clock = this.root.querySelector("[data-quiz-clock]");
    clock.textContent = t("quiz.time.left", "Time left: {clock}", { clock: clockText(left) });
    var marks = [Math.floor(this.timeLimit / 2), 600, 300, 120, 60, 30].filter(function (s, i, a) { return s > 0 && a.indexOf(s) === i; });
    var before = this.lastLeft, warnAt = this.warnAt();
    this.lastLeft = left;
    if (!this.warned && left <= warnAt) {
      this.warned = true;
      var warning = this.root.querySelector("[data-quiz-timer-warning]"), extend = this.root.querySelector('button[data-action="extend"]');
      var can = this.extended < MAX_EXTENSIONS;
      warning.textContent = can
        ? t("quiz.time.warning", "Less than {time} left. Need more time? Choose \u201cGive me more time\u201d.", { time: spanWords(warnAt) })
        : t("quiz.time.warningLast", "Less than {time} left.", { time: spanWords(warnAt) });
      warning.hidden = false;
      extend.hidden = !can;
      this.timerBox.classList.add("cq-quiz__timer--warning");
      this.fitSpace();
      this.announce(warning.textContent);
      return;
    }
    if (before === null) return;
    for (var i = 0; i < marks.length; i++) {
      if (before > marks[i] && left <= marks[i] && marks[i] > warnAt) {
        this.announce(t("quiz.time.remaining", "{time} left.", { time: spanWords(marks[i]) }));
      }
    }
  };

  Quiz.prototype.extend = function () {
    if (!this.deadline || this.extended >= MAX_EXTENSIONS) return;
    this.extended++;
    this.deadline += this.timeLimit * 1000;
    this.warned = false;
    this.root.querySelector("[data-quiz-timer-warning]").hidden = true;
    var extend = this.root.querySelector('button[data-action="extend"]');
    this.timerBox.classList.remove("cq-quiz__timer--warning");
    this.save();
    this.tick();
    this.fitSpace();
    this.announce(t("quiz.time.extended", "Time extended: {time} left.", { time: spanWords((this.deadline - Date.now()) / 1000) }));
    var first = this.root.querySelector("fieldset:not([hidden]) input:not(:disabled), fieldset:not([hidden]) select:not(:disabled)");
    if (document.activeElement === extend) (first || this.checkBtn).focus();
    extend.hidden = true;
  };

  if (Course.started) Course.init(document); // start the timed quizzes that waited for this file
})();
