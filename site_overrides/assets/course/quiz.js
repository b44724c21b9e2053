/* Quiz widget: [data-module="cq-quiz"]. Native controls; feedback announced via role=status. */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});

  function decodeKey(el) {
    var raw = JSON.parse(el.textContent);
    var bin = atob(raw);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  function norm(text) {
    return String(text || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function Quiz(root) {
    this.root = root;
    this.id = root.getAttribute("data-quiz");
    this.form = root.querySelector("form");
    this.key = decodeKey(root.querySelector("script[data-quiz-key]"));
    this.passMark = Number(this.key.pass);
    this.checkBtn = root.querySelector('button[data-action="check"]');
    this.retryBtn = root.querySelector('button[data-action="retry"]');
    this.result = root.querySelector("[data-quiz-result]");
    this.questions = [];
    var fieldsets = root.querySelectorAll("[data-question]");
    for (var i = 0; i < fieldsets.length; i++) this.questions.push({ el: fieldsets[i], key: this.key.questions[i] });
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); if (!self.checked) self.check(); });
    this.checkBtn.addEventListener("click", function () { self.check(); });
    this.retryBtn.addEventListener("click", function () { self.retry(); });
    root.classList.add("cq-js");
    this.checkBtn.hidden = false;
    if (root.hasAttribute("data-shuffle")) this.shuffle();
  }

  Quiz.prototype.shuffle = function () {
    var lists = this.root.querySelectorAll(".cq-question[data-type='single'] .cq-options, .cq-question[data-type='multiple'] .cq-options");
    for (var i = 0; i < lists.length; i++) {
      var items = Array.prototype.slice.call(lists[i].children);
      for (var j = items.length - 1; j > 0; j--) {
        var k = Math.floor(Math.random() * (j + 1));
        var t = items[j]; items[j] = items[k]; items[k] = t;
      }
      for (var n = 0; n < items.length; n++) lists[i].appendChild(items[n]);
    }
  };

  Quiz.prototype.grade = function (q) {
    var el = q.el, key = q.key, chosen = [], i;
    if (key.type === "single" || key.type === "multiple" || key.type === "true_false") {
      var inputs = el.querySelectorAll("input");
      for (i = 0; i < inputs.length; i++) {
        var box = inputs[i], li = box.closest(".cq-option");
        var fb = li && li.querySelector("[data-feedback]");
        if (box.checked) chosen.push(box.value);
        if (fb) fb.hidden = !box.checked;
        if (li) li.classList.toggle("cq-option--chosen", box.checked);
      }
      if (key.type === "true_false") return chosen.length === 1 && chosen[0] === String(key.answer);
      var want = key.correct.map(String).sort().join(",");
      return chosen.sort().join(",") === want;
    }
    if (key.type === "text") {
      var value = norm(el.querySelector("input").value);
      return value !== "" && key.accept.indexOf(value) !== -1;
    }
    if (key.type === "order") {
      var selects = el.querySelectorAll("select");
      for (i = 0; i < selects.length; i++) {
        if (Number(selects[i].value) - 1 !== key.order[i]) return false;
      }
      return true;
    }
    return false;
  };

  Quiz.prototype.check = function () {
    var score = 0, answers = [];
    for (var i = 0; i < this.questions.length; i++) {
      var q = this.questions[i], ok = this.grade(q);
      if (ok) score++;
      answers.push({ id: q.key.id, correct: ok });
      q.el.classList.toggle("cq-question--correct", ok);
      q.el.classList.toggle("cq-question--wrong", !ok);
      var verdict = q.el.querySelector("[data-verdict]");
      verdict.textContent = ok ? "Correct." : "Not quite.";
      verdict.hidden = false;
      var expl = q.el.querySelector("[data-explanation]");
      if (expl) expl.hidden = false;
      this.setDisabled(q.el, true);
    }
    var max = this.questions.length;
    var percent = max ? Math.round((score / max) * 100) : 0;
    var passed = percent >= this.passMark;
    this.checked = true;
    this.root.setAttribute("data-state", passed ? "passed" : "failed");
    this.result.textContent = "You scored " + score + " out of " + max + " (" + percent + "%). " +
      "The pass mark is " + this.passMark + "%: " +
      (passed ? "passed. Well done." : "not passed yet. Read the feedback, then try again.");
    this.checkBtn.hidden = true;
    this.retryBtn.hidden = false;
    this.result.focus();
    Course.emit(this.root, "course:answered", {
      quiz: this.id, version: this.key.version, score: score, max: max,
      percent: percent, passed: passed, passMark: this.passMark, answers: answers
    });
  };

  Quiz.prototype.setDisabled = function (el, off) {
    var controls = el.querySelectorAll("input, select");
    for (var i = 0; i < controls.length; i++) controls[i].disabled = off;
  };

  Quiz.prototype.retry = function () {
    this.form.reset();
    for (var i = 0; i < this.questions.length; i++) {
      var el = this.questions[i].el;
      this.setDisabled(el, false);
      el.classList.remove("cq-question--correct", "cq-question--wrong");
      var hide = el.querySelectorAll("[data-feedback], [data-verdict], [data-explanation]");
      for (var j = 0; j < hide.length; j++) hide[j].hidden = true;
      var chosen = el.querySelectorAll(".cq-option--chosen");
      for (var k = 0; k < chosen.length; k++) chosen[k].classList.remove("cq-option--chosen");
    }
    if (this.root.hasAttribute("data-shuffle")) this.shuffle();
    this.checked = false;
    this.root.removeAttribute("data-state");
    this.result.textContent = "";
    this.retryBtn.hidden = true;
    this.checkBtn.hidden = false;
    var first = this.root.querySelector("input, select");
    if (first) first.focus();
  };

  Course.register("cq-quiz", Quiz);
})();
