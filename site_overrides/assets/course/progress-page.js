/* The widgets of the progress and completion pages (cq-progress-page: My progress, with export,
 * import and reset; cq-completion: the checklist and the certificate). Split from progress.js (issue 17
 * item 3): only pages that show them load this file (site_overrides/main.html); progress.js, on every
 * page, keeps the record, the navigation ticks, the home page's resume button and the storage notice
 * and exposes window.CourseProgress, which these widgets read and change. */
(() => {
  "use strict";
  const Course = (window.Course = window.Course || {}), M = window.COURSE_MANIFEST, P = window.CourseProgress;
  if (!M || !M.items || !M.pages || !P || !P.dom) return;
  const I = M.items, PAGE = {}, { el, tick, a } = P.dom;
  const own = (o, k) => !!o && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
  const isQuiz = (id) => I[id].kind === "quiz";
  const kind = (id) => (isQuiz(id) ? "quizzes" : "scenarios");
  const T = (key, params) => Course.msg(key, params), TN = (key, params) => Course.msgNodes(key, params);
  M.pages.forEach((p) => (PAGE[p.url] = p));

  const itemText = (id) => {
    const r = P.load()[kind(id)][id], q = isQuiz(id), mark = T("progress.pass_mark", { pass_mark: P.passMark(id) });
    const old = r && r.v && r.v !== I[id].version && (r.done || q) ? T(q ? "progress.old_quiz" : "progress.old_scenario") : "";
    if (q) return r && r.n ? T("progress.best_score", { status: T(P.quizPassed(id) ? "progress.passed" : "progress.not_passed"), best: r.best, mark,
      tries: r.n > 1 ? T("progress.tries", { count: r.n }) : "", old }) : T("progress.not_tried", { mark });
    if (r && r.done) return T("progress.finished", { outcome: T("progress.outcome." + r.best), old });
    return r ? T("progress.in_progress", { count: r.steps }) : T("progress.not_started");
  };
  const itemLine = (id, where) => {
    const ok = P.itemDone(id), url = I[id].pages[0], label = T(isQuiz(id) ? "progress.quiz_label" : "progress.scenario_label", { title: I[id].title });
    return el("li", { class: "cq-item" }, [ok ? tick(T("progress.tick_done")) : el("span", { class: "cq-todo", "aria-hidden": "true" }),
      url && (where || !ok) ? a(url, label) : label, " \u2014 ", el("span", { class: "cq-item__status", text: itemText(id) }),
      where && url && el("span", { class: "cq-item__page", text: T("progress.on_page", { title: PAGE[url].title }) })]);
  };

  // ------------------------------------------------------------ My progress
  const sections = () => (M.nav && M.nav.length ? M.nav : [{ pages: M.pages.map((p) => p.url) }])
    .map((s) => ({ title: s.title, pages: s.pages.filter((u) => PAGE[u] && !PAGE[u].tool) })).filter((s) => s.pages.length);
  const active = (s) => s.pages.some((u) => PAGE[u].items.length);
  const count = (list, f) => list.filter(f).length;
  const summary = (st) => {
    const ids = (k) => Object.keys(I).filter((id) => I[id].kind === k && I[id].pages.length), q = ids("quiz"), sc = ids("scenario");
    const all = sections(), urls = [].concat(...all.map((s) => s.pages)), n = count(urls, P.pageDone), read = P.toRead();
    const pct = P.percent(), bar = el("span"), left = st.missing.length + st.unread.length;
    const cert = (M.pages.find((p) => p.tool === "completion") || {}).url;
    bar.style.width = pct + "%";
    return el("div", { class: "cq-summary" + (st.complete ? " cq-summary--done" : "") }, [
      el("p", { class: "cq-summary__headline" }, TN("progress.course_done", { percent: el("strong", { "data-course-percent": pct, text: Course.formatPercent(pct) }) })),
      el("div", { class: "cq-bar", role: "img", "aria-label": T("progress.course_done", { percent: Course.formatPercent(pct) }) }, [bar]),
      el("p", { text: T("progress.counts", { quizzes: count(q, P.quizPassed), quiz_total: q.length, scenarios: count(sc, P.itemDone), scenario_total: sc.length }) +
        (read.length ? T("progress.counts_read", { read: read.length - st.unread.length, read_total: read.length }) : "") +
        T("progress.counts_pages", { pages: n, page_total: urls.length }) }),
      el("p", { class: "cq-summary__status" }, st.complete ? [tick(""), T("progress.complete"), cert && a(cert, T("progress.print"))]
        : [T("progress.left", { count: left }), cert && a(cert, T("progress.see_left"))])]);
  };
  const row = (url) => {
    const p = PAGE[url], done = P.pageDone(url);
    return el("li", { class: "cq-page" + (done ? " cq-page--done" : "") }, [done ? tick("") : el("span", { class: "cq-todo", "aria-hidden": "true" }),
      a(url, p.title), " \u2014 ", el("span", { class: "cq-item__status", text: T(done ? "progress.page_done" : !P.load().pages[url] ? "progress.page_not_visited" : p.items.length ? "progress.page_started" : "progress.page_read") }),
      p.items.length && el("ul", { class: "cq-items" }, p.items.map((id) => itemLine(id)))]);
  };

  // both widgets take their wording and buttons from the page (content/progress.md, completion.md)
  class ProgressPage {
    constructor(root) {
      const q = (s) => root.querySelector(s), file = q("#cq-import-file"), msg = q("[data-msg]"), tools = q("[data-progress-tools]");
      const act = (name, f) => (q(`[data-action="${name}"]`).onclick = f), say = (k) => (msg.textContent = msg.dataset[k]);
      this.view = q("[data-progress-view]") || root.appendChild(el("div"));
      root.classList.add("cq-js");
      document.addEventListener("course:progress", () => this.render());
      this.render();
      if (!tools) return; // a bare <div data-module="cq-progress-page"> shows progress only
      tools.hidden = false;
      act("export", () => {
        const data = { format: "course-progress", course: M.id, title: M.title, course_version: M.version, exported: new Date().toISOString(), progress: P.load() };
        const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })),
          download: `${M.id}-progress-${data.exported.slice(0, 10)}.json` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 1e3);
        say("exported");
      });
      act("import", () => file.click());
      file.onchange = () => {
        const f = file.files[0];
        file.value = "";
        if (f) (f.size > 1e6 ? Promise.reject() : f.text()).then((text) => {
          let data = null;
          try { data = JSON.parse(text); } catch (e) { /* not JSON */ }
          if (!own(data, "progress") || data.format !== "course-progress") return say("wrong");
          if (data.course !== M.id && !(M.previous_ids || []).includes(data.course)) return say("other");
          P.merge(data.progress);
          say("loaded");
        }).catch(() => say("unreadable"));
      };
      act("reset", () => { q("[data-confirm]").hidden = false; q('[data-action="no"]').focus(); });
      act("no", () => { q("[data-confirm]").hidden = true; q('[data-action="reset"]').focus(); });
      act("yes", () => { P.reset(); q('[data-action="no"]').click(); say("reset"); });
    }
    render() {
      this.view.replaceChildren(summary(P.status()), ...sections().map((sec, i) => {
        const list = el("ul", { class: "cq-items cq-pages" }, sec.pages.map(row));
        const head = el(active(sec) ? "h2" : "summary", { text: T("progress.section", { title: sec.title || T(i ? "progress.other_pages" : "progress.start_here"), done: count(sec.pages, P.pageDone), total: sec.pages.length }) });
        return active(sec) ? el("section", {}, [head, list]) : el("details", { class: "cq-section" }, [head, list]);
      }));
    }
  }

  class Completion {
    constructor(root) {
      const q = (this.q = (s) => root.querySelector(s)), input = q("#cq-cert-name"), msg = q("[data-msg]");
      root.classList.add("cq-js");
      if (!input) { // a bare <div data-module="cq-completion">: the checklist only
        root.append(el("ul", { class: "cq-items", "data-requirements": "" }));
        this.q = (s) => q(s) || {};
        document.addEventListener("course:progress", () => this.render());
        return this.render();
      }
      input.oninput = () => {
        if (input.value.trim()) msg.textContent = ""; // "type your name first" no longer applies
        P.load().name = input.value.trim().slice(0, 120);
        P.save();
        this.render();
      };
      q('[data-action="print"]').onclick = () => {
        msg.textContent = input.value.trim() ? "" : msg.dataset.empty;
        msg.textContent ? input.focus() : window.print();
      };
      document.addEventListener("course:progress", () => this.render());
      this.render();
    }
    render() {
      const q = this.q, st = P.status(), s = P.load(), as = st.assessment, name = s.name || P.defaultName, score = as && as.best !== null;
      const set = (k, v) => (q(`[data-cert="${k}"]`).textContent = v);
      q('[data-when="incomplete"]').hidden = st.complete;
      q('[data-when="complete"]').hidden = !st.complete;
      document.body.classList.toggle("cq-has-certificate", st.complete && !!q("#cq-cert-name").id);
      const list = q("[data-requirements]");
      list.replaceChildren(...P.required().map((id) => itemLine(id, 1)));
      this.reading(list, st);
      if (document.activeElement !== q("#cq-cert-name")) q("#cq-cert-name").value = name;
      set("name", name || "\u00a0");
      set("title", M.title);
      set("date", Course.formatDate(new Date(s.completed || Date.now()))); // Intl, in the course's language
      set("score", score ? Course.formatPercent(as.best) : "");
      set("version", M.version);
      set("author", M.author || "");
      q("[data-cert-score]").hidden = !score;
      q("[data-cert-issuer]").hidden = !M.author;
    }
    // pages the rules ask to be read (completion: read), in a list of their own after the checklist
    reading(list, st) {
      if (!list.after) return;
      let box = this.readBox, pct = this.pctLine;
      if (!pct) {
        pct = this.pctLine = el("p", { class: "cq-completion__percent" });
        list.before(pct);
      }
      pct.replaceChildren(...TN("completion.so_far", { percent: el("strong", { "data-course-percent": P.percent(), text: Course.formatPercent(P.percent()) }) }));
      const read = P.toRead();
      if (!box && read.length) {
        box = this.readBox = el("div", { class: "cq-read" }, [el("p", { class: "cq-read__lead" }), el("ul", { class: "cq-items", "data-read-requirements": "" })]);
        list.after(box);
      }
      if (!box) return;
      box.firstChild.textContent = T("completion.to_read", { read: read.length - st.unread.length, total: read.length });
      box.lastChild.replaceChildren(...read.map((u) => {
        const ok = !!P.load().pages[u];
        return el("li", { class: "cq-item" }, [ok ? tick(T("progress.tick_done")) : el("span", { class: "cq-todo", "aria-hidden": "true" }),
          a(u, PAGE[u].title), " \u2014 ", el("span", { class: "cq-item__status", text: T(ok ? "progress.page_read" : "progress.page_not_read") })]);
      }));
    }
  }


  Course.register("cq-progress-page", ProgressPage);
  Course.register("cq-completion", Completion);
})();
