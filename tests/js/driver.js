/* Test driver injected into built course pages: answers quizzes from their own answer key and
 * plays scenarios to a chosen ending through the real widgets (which emit the real events). */
window.cqDriver = {
  key: function (root) {
    var raw = JSON.parse(root.querySelector("script[data-quiz-key]").textContent);
    var bin = atob(raw), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  },
  /* Answer the first `right` questions correctly (all when omitted), the rest wrongly, check.
   * (A blank question is no answer: the quiz would show its error summary and mark nothing.) */
  answerQuiz: function (id, right) {
    var root = document.querySelector('[data-quiz="' + id + '"]');
    var w = root.courseWidget;
    if (w.state || w.checked) (w.retake || w.retry).call(w);
    var key = this.key(root), sets = root.querySelectorAll("[data-question]");
    if (right === undefined || right === null) right = sets.length;
    for (var i = 0; i < sets.length; i++) {
      var el = sets[i], ok = i < right, inputs, j, k = key.questions.filter(function (q) { return q.id === el.getAttribute("data-question"); })[0];
      if (k.type === "single" || k.type === "multiple") {
        inputs = el.querySelectorAll("input");
        var wrong = -1;
        for (j = 0; j < inputs.length; j++) if (k.correct.indexOf(Number(inputs[j].value)) < 0 && wrong < 0) wrong = j;
        for (j = 0; j < inputs.length; j++) {
          var good = k.correct.map(String).indexOf(inputs[j].value) >= 0;
          inputs[j].checked = ok ? good : k.type === "single" ? j === wrong : good || j === wrong;
        }
      } else if (k.type === "true_false") {
        el.querySelector('input[value="' + String(ok ? k.answer : !k.answer) + '"]').checked = true;
      } else if (k.type === "text") {
        el.querySelector("input").value = ok ? k.accept[0] : "not the answer";
      } else if (k.type === "order") {
        var sel = el.querySelectorAll("select"), n = sel.length;
        for (j = 0; j < n; j++) sel[j].value = String(ok ? k.order[j] + 1 : ((k.order[j] + 1) % n) + 1);
      }
    }
    root.querySelector('button[data-action="check"]').click();
    return { max: sets.length, right: Math.min(right, sets.length) };
  },
  /* Shortest list of choice indexes from the start to an ending of the wanted kind. */
  route: function (data, want) {
    var meters = {}, defs = {};
    data.meters.forEach(function (m) { meters[m.name] = m.start; defs[m.name] = m; });
    var queue = [{ node: data.start, meters: meters, path: [] }], seen = {};
    while (queue.length) {
      var s = queue.shift(), node = data.nodes[s.node], sig = s.node + JSON.stringify(s.meters);
      if (seen[sig]) continue;
      seen[sig] = 1;
      if (node.ending) { if (!want || node.ending === want) return s.path; continue; }
      (node.choices || []).forEach(function (c, i) {
        var req = c.requires || {}, ok = true, k;
        for (k in req) if (!(s.meters[k] >= req[k])) ok = false;
        if (!ok) return;
        var m = {};
        for (k in s.meters) m[k] = s.meters[k];
        for (k in c.effects || {}) if (defs[k]) m[k] = Math.min(defs[k].max, Math.max(defs[k].min, m[k] + c.effects[k]));
        queue.push({ node: c.to, meters: m, path: s.path.concat([i]) });
      });
    }
    return null;
  },
  /* steps: how many choices to make (all the way to the ending when omitted). */
  playScenario: function (id, want, steps) {
    var root = document.querySelector('[data-scenario="' + id + '"]');
    var data = JSON.parse(root.querySelector("script[data-scenario-data]").textContent);
    var path = this.route(data, want || "success");
    if (steps !== undefined && steps !== null) path = path.slice(0, steps);
    var w = root.courseWidget;
    for (var n = 1; n <= path.length; n++) w.go(path.slice(0, n), "choose");
    return path;
  }
};
