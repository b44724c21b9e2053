/* Test driver injected into built course pages: answers quizzes from their own answer key and
 * plays scenarios to a chosen ending through the real widgets (which emit the real events). */
window.cqDriver = {
  key: function (root) {
    var raw = JSON.parse(root.querySelector("script[data-quiz-key]").textContent);
    var bin = atob(raw), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  },
  /* Answer the first `right` questions correctly (all when omitted), leave the rest blank, check. */
  answerQuiz: function (id, right) {
    var root = document.querySelector('[data-quiz="' + id + '"]');
    var w = root.courseWidget;
    if (w.checked) w.retry();
    var key = this.key(root), sets = root.querySelectorAll("[data-question]");
    if (right === undefined || right === null) right = sets.length;
    for (var i = 0; i < sets.length && i < right; i++) {
      var k = key.questions[i], el = sets[i], inputs, j;
      if (k.type === "single" || k.type === "multiple") {
        inputs = el.querySelectorAll("input");
        for (j = 0; j < inputs.length; j++) inputs[j].checked = k.correct.map(String).indexOf(inputs[j].value) >= 0;
      } else if (k.type === "true_false") {
        el.querySelector('input[value="' + String(k.answer) + '"]').checked = true;
      } else if (k.type === "text") {
        el.querySelector("input").value = k.accept[0];
      } else if (k.type === "order") {
        var sel = el.querySelectorAll("select");
        for (j = 0; j < sel.length; j++) sel[j].value = String(k.order[j] + 1);
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
