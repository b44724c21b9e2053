/* cmi5 launch page of the package (builder/package/cmi5.py; issue 15). The LMS opens cmi5.html with
 * endpoint, fetch, actor, registration and activityId; @xapi/cmi5 (assets/vendor/cmi5/Cmi5.umd.js)
 * fetches the auth token once, reads the LMS.LaunchData state and sends "initialized". The course runs
 * in the frame below, so moving between pages keeps this one AU session; this page reads the course's
 * own progress (window.CourseProgress in the frame, course:progress events) and sends the cmi5 defined
 * statements: "passed"/"failed" for the assessment against the LMS's masteryScore, "completed" when the
 * course's completion rules are met (once per registration), "terminated" on exit. In Browse or Review
 * launch mode only initialized and terminated are sent. Opened without an LMS, it shows index.html. */
(() => {
  "use strict";
  const frame = document.querySelector("iframe"), status = document.querySelector("[data-cmi5-status]");
  const exit = document.querySelector('[data-action="exit"]');
  const Lib = window.Cmi5 && (window.Cmi5.default || window.Cmi5);
  const say = (t) => { status.textContent = t; status.hidden = !t; };
  // its words come from the page: builder/package/cmi5.py writes them in the course's language (issue 14)
  const word = (name, english) => status.getAttribute("data-" + name) || english;
  if (!Lib || !Lib.isCmiAvailable) { location.replace("index.html"); return; }
  const q = new URLSearchParams(location.search), KEY = "cq-cmi5:" + q.get("registration") + ":" + q.get("activityId");
  const readJSON = (store, k) => { try { return JSON.parse(store.getItem(k) || "{}") || {}; } catch (e) { return {}; } };
  const writeJSON = (store, k, v) => { try { store.setItem(k, JSON.stringify(v)); } catch (e) { /* memory only */ } };
  // this launch (its one-time fetch URL): auth token (fetch works once), start time, whether it ended
  let session = readJSON(sessionStorage, KEY);
  if (session.fetch !== q.get("fetch")) session = { fetch: q.get("fetch") }; // a new launch from the LMS
  const markEnded = () => { session.ended = true; delete session.authToken; writeJSON(sessionStorage, KEY, session); };
  const done = readJSON(localStorage, KEY); // this registration: completed/passed sent, failed attempts seen
  const cmi5 = new Lib();
  let mode = "Normal", mastery = null, ended = false, queue = Promise.resolve();
  const send = (what, f) => (queue = queue.then(f).catch((e) => console.warn(`course cmi5: ${what} was not recorded (${e && e.message})`)));

  const report = (w) => {
    const P = w && w.CourseProgress;
    if (!P || ended || mode !== "Normal") return;
    const st = P.status(), a = st.assessment, rec = a && P.load().quizzes[a.id];
    if (a && a.best !== null && !done.passed) {
      const scaled = a.best / 100, ok = mastery !== null ? scaled >= mastery : a.passed;
      const score = { scaled, raw: a.best, min: 0, max: 100 };
      if (ok) {
        done.passed = true;
        send("passed", () => cmi5.pass(score));
      } else if (rec && rec.n !== done.failed) {
        done.failed = rec.n; // one "failed" per attempt at the assessment
        send("failed", () => cmi5.fail(score));
      }
    }
    if (st.complete && !done.completed) {
      done.completed = true;
      send("completed", () => cmi5.complete());
    }
    writeJSON(localStorage, KEY, done);
  };
  const attach = () => {
    let w;
    try { w = frame.contentWindow; w.document.addEventListener("course:progress", () => report(w)); } catch (e) { return; }
    const P = w.CourseProgress, C = (w.COURSE_MANIFEST || {}).completion || {};
    if (P && mastery !== null && C.assessment) P.passMarks[C.assessment] = Math.round(mastery * 1e4) / 100; // the LMS's mastery score rules
    session.page = w.location.pathname.split("/").pop() + w.location.hash;
    writeJSON(sessionStorage, KEY, session);
    report(w);
  };

  const terminate = () => {
    if (ended) return queue;
    ended = true;
    return send("terminated", () => cmi5.terminate());
  };
  exit.addEventListener("click", () => {
    exit.disabled = true;
    say(word("saving", "Saving…"));
    markEnded();
    terminate().then(() => {
      const back = cmi5.getLaunchData().returnURL;
      if (back) location.href = back;
      else say(word("saved", "Your results are saved. You can close this window."));
    });
  });
  addEventListener("pagehide", () => { // best effort: the session ends with the window (the auth token too)
    if (!ended && session.authToken) { terminate(); markEnded(); }
  });
  /* xapi.js in the course pages hands over its statements (quiz answers, scenario choices): they are
   * cmi5 "allowed" statements, sent as the launch's actor with its registration and context template. */
  let ready = null;
  const started = new Promise((resolve) => (ready = resolve));
  const record = (list) => started.then(() => {
    if (mode !== "Normal" || ended) return { ok: true, status: 204 }; // browse/review: nothing is recorded
    const t = cmi5.getLaunchData().contextTemplate || {}, reg = q.get("registration"), who = JSON.parse(q.get("actor"));
    const statements = list.map((st) => {
      const c = Object.assign({}, st.context, { registration: reg }), ca = Object.assign({}, c.contextActivities);
      ca.grouping = (ca.grouping || []).concat((t.contextActivities || {}).grouping || []);
      c.contextActivities = ca;
      c.extensions = Object.assign({}, c.extensions, t.extensions);
      return Object.assign({}, st, { actor: who, context: c });
    });
    return cmi5.xapi.sendStatements({ statements }).then(() => ({ ok: true, status: 200 }),
      (e) => ({ ok: false, status: (e && e.response && e.response.status) || 0, text: () => Promise.resolve(String(e)) }));
  });
  window.CourseCmi5 = { exit: () => exit.click(), cmi5, record, registration: q.get("registration"), actor: () => JSON.parse(q.get("actor")) };

  /* cmi5 9.3.8: no statements after "terminated" in this session, and the fetch URL works once. A
   * reload (or Back) after the session ended says so calmly instead of failing at the LMS. */
  if (session.ended) {
    document.body.classList.add("cq-cmi5--ended");
    say(word("ended", "This session has ended. To continue the course, launch it again from your learning system."));
    return;
  }
  (async () => {
    try {
      if (session.authToken) await cmi5.initialize({ authToken: session.authToken, initializedDate: new Date(session.initializedDate) });
      else {
        await cmi5.initialize();
        Object.assign(session, { authToken: cmi5.getAuthToken(), initializedDate: cmi5.getInitializedDate().toISOString() });
        writeJSON(sessionStorage, KEY, session);
      }
    } catch (e) {
      say(word("failed", "The learning system could not start this course. Close this window and launch the course again."));
      console.warn("course cmi5: launch failed", e);
      return;
    }
    const data = cmi5.getLaunchData() || {};
    mode = data.launchMode || "Normal";
    mastery = typeof data.masteryScore === "number" ? data.masteryScore : null;
    exit.hidden = false;
    ready();
    frame.addEventListener("load", attach);
    frame.src = /^[\w.-]+\.html(#[\w-]*)?$/.test(session.page || "") ? session.page : "index.html";
  })();
})();
