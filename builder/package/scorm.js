/* SCORM adapter for SCORM 1.2 (window.API) and SCORM 2004 4th edition (window.API_1484_11), inert
 * without an LMS API in a parent frame or opener. In the package the API is the launch page's
 * (builder/package/launch.js): one LMS session across pages. Each report (every course:progress, and
 * when the page is hidden) sends status, score, suspend_data and session time, then commits, so LMSs
 * whose API makes synchronous requests get them while the page is alive (issue 11). The course never
 * reports a lower status or score than the LMS already holds. LMS errors are logged with
 * console.warn and never stop the course.
 *
 * suspend_data ("c2", CourseScormCodec): whole records only, within the runtime's limit (SCORM 1.2:
 * 4,096 characters, 2004: 64,000); completion-relevant results first, then other results, then
 * in-progress scenarios, then pages visited, then optional fields. builder/package/budget.py
 * computes the worst case for a course from its manifest and warns at build time.
 *   c2|T|D|ITEMS|PAGES[|EXTRA]
 *   T, D   last activity and completion time, seconds in base 36
 *   ITEMS  ","-joined buckets: bucket (1 char) + layout check (2) + records in id order, "." + n
 *          skips n+1 ids; quiz = 2 chars ((best*2+passed)*20+ver) + tries (1, at most 63);
 *          scenario = 3 chars (steps*160 + (outcome*2+done)*20 + ver), ver = version hash % 19,
 *          19 = an earlier version
 *   PAGES  ","-joined buckets: bucket + layout check + bitmap of its pages, 6 a character
 *   EXTRA  JSON {id: {field: value}} of fields this format does not know (lowest priority)
 * A bucket whose ids changed since the record was written (the check differs) is skipped. */
(() => {
  "use strict";
  const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", NB = 16;
  const OUT = ["", "failure", "partial", "success"];
  const KNOWN = { quizzes: ["best", "passed", "v", "n", "t"], scenarios: ["best", "done", "v", "steps", "t"] };
  const fnv = (s) => {
    let x = 2166136261;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    return x;
  };
  const h4 = (s) => ("000" + (fnv(s) % 1679616).toString(36)).slice(-4);
  const b36 = (n) => Math.floor(n / 1e3 || 0).toString(36);

  /* The suspend_data codec for a manifest M and a budget in characters. */
  const codec = (M, budget) => {
    const I = M.items, C = M.completion || {}, ids = Object.keys(I).sort(), urls = M.pages.map((p) => p.url).sort();
    const buckets = (list) => {
      const b = Array.from({ length: NB }, () => []);
      list.forEach((x) => b[fnv(x) % NB].push(x));
      return b;
    };
    const IB = buckets(ids), PB = buckets(urls), where = {}, pos = {};
    const check = (list) => { const x = fnv(list.join("\n")); return A[x & 63] + A[(x >>> 6) & 63]; };
    const IF = IB.map(check), PF = PB.map(check);
    IB.forEach((list, b) => list.forEach((id) => (where[id] = b)));
    ids.forEach((id, n) => (pos[id] = n));
    const vh = (v) => fnv(String(v)) % 19;
    const must = {};
    [].concat(C.pass || [], C.finish || [], C.assessment ? [C.assessment] : []).forEach((id) => (must[id] = 1));
    const chars = (n, w) => { let s = ""; for (let k = 0; k < w; k++, n = Math.floor(n / 64)) s = A[n % 64] + s; return s; };
    const num = (s, i, w) => {
      let n = 0;
      for (let k = 0; k < w; k++) { const c = A.indexOf(s.charAt(i + k)); if (c < 0) throw new Error("bad record"); n = n * 64 + c; }
      return n;
    };
    const record = (id, r) => {
      const h = r.v === I[id].version ? vh(r.v) : 19;
      if (I[id].kind === "quiz") return chars(((Math.max(0, Math.min(100, Math.round(+r.best || 0))) * 2 + (r.passed ? 1 : 0)) * 20 + h), 2) + A[Math.max(1, Math.min(63, r.n || 1))];
      return chars(Math.min(1637, r.steps || 0) * 160 + (Math.max(0, OUT.indexOf(r.best)) * 2 + (r.done ? 1 : 0)) * 20 + h, 3);
    };
    const write = (s, keep, head) => {
      const got = IB.map(() => ({}));
      keep.forEach((x) => x.id && (got[where[x.id]][x.id] = x.r));
      const items = IB.map((list, b) => {
        if (!Object.keys(got[b]).length) return "";
        let out = A[b] + IF[b], gap = 0;
        list.forEach((id) => {
          if (!got[b][id]) return gap++;
          for (; gap > 0; gap -= 64) out += "." + A[Math.min(gap, 64) - 1];
          gap = 0;
          out += record(id, got[b][id]);
        });
        return out;
      }).filter(Boolean).join(",");
      const pages = keep.filter((x) => x.page >= 0).sort((a, b) => a.page - b.page).map((x) => {
        const list = PB[x.page];
        let bits = "";
        for (let i = 0; i < list.length; i += 6) {
          let n = 0;
          for (let j = 0; j < 6 && i + j < list.length; j++) if (s.pages[list[i + j]]) n |= 1 << j;
          bits += A[n];
        }
        return A[x.page] + PF[x.page] + bits.replace(/0+$/, "");
      }).join(",");
      return head + items + "|" + pages;
    };
    const encode = (s) => {
      const recs = [];
      let T = 0;
      ["quizzes", "scenarios"].forEach((k) => Object.keys(s[k] || {}).forEach((id) => {
        const r = s[k][id];
        if (!I[id] || !r || (I[id].kind === "quiz") !== (k === "quizzes")) return;
        T = Math.max(T, +r.t || 0);
        recs.push({ k, id, r, p: must[id] ? 0 : k === "quizzes" || r.done ? 1 : 2, o: pos[id], cost: 3 });
      }));
      PB.forEach((list, b) => list.some((u) => s.pages && s.pages[u]) && recs.push({ page: b, p: 3, o: b, cost: 4 + Math.ceil(list.length / 6) }));
      recs.sort((a, b) => a.p - b.p || a.o - b.o);
      const head = ["c2", b36(T), b36(s.completed), ""].join("|");
      let size = head.length + 1;
      const keep = [], open = {};
      recs.forEach((x) => {
        const c = x.cost + (x.id && !open[where[x.id]] ? 4 : 0);
        if (size + c > budget) return;
        size += c;
        if (x.id) open[where[x.id]] = 1;
        keep.push(x);
      });
      let out = write(s, keep, head); // skips between records may cost more than counted: drop the last few
      while (out.length > budget && keep.length) keep.length -= Math.min(keep.length, Math.ceil((out.length - budget) / 3)), (out = write(s, keep, head));
      // fields this format does not know: whole records, in the same order, while they fit
      const extra = [];
      let room = budget - out.length - 3; // "|{" and "}"
      keep.forEach((x) => {
        if (!x.id) return;
        const e = {};
        let any = false;
        for (const f in x.r) if (KNOWN[x.k].indexOf(f) < 0 && x.r[f] !== undefined) (e[f] = x.r[f]), (any = true);
        if (!any) return;
        const t = JSON.stringify(x.id) + ":" + JSON.stringify(e);
        if (t.length + (extra.length ? 1 : 0) <= room) room -= t.length + (extra.length ? 1 : 0), extra.push(t);
      });
      return extra.length ? out + "|{" + extra.join(",") + "}" : out;
    };
    const decode = (text) => {
      const parts = String(text).split("|");
      if (parts[0] === "c1") return decode1(parts);
      if (parts[0] !== "c2") return null;
      const T = parseInt(parts[1], 36) * 1e3 || 0;
      const out = { pages: {}, quizzes: {}, scenarios: {}, completed: parseInt(parts[2], 36) * 1e3 || 0 };
      (parts[3] || "").split(",").forEach((e) => {
        const b = A.indexOf(e.charAt(0)), list = IB[b], got = [];
        if (!e || !list || e.substr(1, 2) !== IF[b]) return; // the course's ids changed here: skip
        try {
          for (let i = 3, n = 0; i < e.length;) {
            if (e[i] === ".") { n += num(e, i + 1, 1) + 1; i += 2; continue; }
            const id = list[n++], w = 3;
            if (!id) throw new Error("too many records");
            got.push([id, e.substr(i, w)]);
            i += w;
          }
        } catch (err) { return; }
        got.forEach(([id, c]) => {
          const cur = I[id].version;
          if (I[id].kind === "quiz") {
            const v = num(c, 0, 2), q = Math.floor(v / 20), n = A.indexOf(c[2]);
            if (q >> 1 <= 100 && n > 0) out.quizzes[id] = { best: q >> 1, passed: (q & 1) === 1, v: v % 20 === vh(cur) ? cur : "earlier", n, t: T };
          } else {
            const v = num(c, 0, 3), st = Math.floor(v / 20) % 8;
            out.scenarios[id] = { best: OUT[st >> 1], done: (st & 1) === 1 && st >> 1 > 0, v: v % 20 === vh(cur) ? cur : "earlier", steps: Math.floor(v / 160), t: T };
          }
        });
      });
      (parts[4] || "").split(",").forEach((e) => {
        const b = A.indexOf(e.charAt(0)), list = PB[b];
        if (!e || !list || e.substr(1, 2) !== PF[b]) return;
        for (let i = 3; i < e.length; i++) {
          const n = A.indexOf(e[i]);
          for (let j = 0; j < 6 && n > 0; j++) if (n & (1 << j) && list[(i - 3) * 6 + j]) out.pages[list[(i - 3) * 6 + j]] = 1;
        }
      });
      if (parts.length > 5) {
        let extra = null;
        try { extra = JSON.parse(parts.slice(5).join("|")); } catch (err) { /* dropped */ }
        if (extra && typeof extra === "object") for (const id in extra) {
          const k = I[id] && (I[id].kind === "quiz" ? "quizzes" : "scenarios");
          if (k && out[k][id] && extra[id] && typeof extra[id] === "object") out[k][id] = Object.assign({}, extra[id], out[k][id]);
        }
      }
      return out;
    };
    // the previous format (c1: 4-character id hashes), still read so that earlier records survive
    const decode1 = ([, t, pages = "", quizzes = "", scenarios = "", done]) => {
      const hid = {}, T = parseInt(t, 36) * 1e3 || 0;
      const out = { pages: {}, quizzes: {}, scenarios: {}, completed: parseInt(done, 36) * 1e3 || 0 };
      const ver = (id, v) => (!v ? "" : I[id].version.slice(0, 4) === v ? I[id].version : "old:" + v);
      M.pages.forEach((p) => (hid["p" + h4(p.url)] = p.url));
      ids.forEach((id) => (hid[I[id].kind + h4(id)] = id));
      for (let i = 0; i < pages.length; i += 4) if (hid["p" + pages.substr(i, 4)]) out.pages[hid["p" + pages.substr(i, 4)]] = 1;
      quizzes.split(",").forEach((e) => {
        const [h, best, passed, v, n] = e.split("."), id = hid["quiz" + h];
        if (id) out.quizzes[id] = { best: +best, passed: passed === "1", v: ver(id, v), n: +n, t: T };
      });
      scenarios.split(",").forEach((e) => {
        const [h, o = "", v, steps] = e.split("."), id = hid["scenario" + h];
        if (id) out.scenarios[id] = { best: { s: "success", p: "partial", f: "failure" }[o[0]] || "", done: o[1] === "1", v: ver(id, v), steps: +steps, t: T };
      });
      return out;
    };
    return { encode, decode, budget };
  };
  window.CourseScormCodec = codec;

  const M = window.COURSE_MANIFEST;
  const find = (w) => {
    try {
      for (let n = 0; w && n < 8; n++, w = w.parent !== w && w.parent) {
        if (w.API_1484_11 && typeof w.API_1484_11.Initialize === "function") return [w.API_1484_11, 2004];
        if (w.API && typeof w.API.LMSInitialize === "function") return [w.API, 12];
      }
    } catch (e) { /* a frame from another site */ }
    return null;
  };
  const found = M && window.CourseProgress && (find(window) || find(window.opener) || find(window.top.opener));
  if (!found) return;
  const [api, edition] = found, v12 = edition === 12;
  const F = v12
    ? { init: "LMSInitialize", fin: api.LMSFinish ? "LMSFinish" : "LMSTerminate", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", err: "LMSGetLastError", str: "LMSGetErrorString" }
    : { init: "Initialize", fin: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit", err: "GetLastError", str: "GetErrorString" };
  const K = v12
    ? { status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max", exit: "cmi.core.exit",
      location: "cmi.core.lesson_location", session: "cmi.core.session_time", mode: "cmi.core.lesson_mode", id: "cmi.core.student_id",
      name: "cmi.core.student_name", mastery: "cmi.student_data.mastery_score" }
    : { completion: "cmi.completion_status", success: "cmi.success_status", raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
      scaled: "cmi.score.scaled", exit: "cmi.exit", location: "cmi.location", session: "cmi.session_time", mode: "cmi.mode", id: "cmi.learner_id",
      name: "cmi.learner_name", mastery: "cmi.scaled_passing_score" };

  const warn = (t) => console.warn("course LMS: " + t);
  const call = (fn, a, b) => {
    let r;
    try {
      r = api[fn](a, b);
      const code = String(api[F.err]());
      if (code !== "0" && code && (String(r) === "false" || fn === F.get)) warn(`${fn}(${a || ""}) failed: error ${code} ${api[F.str](code)}`);
    } catch (e) {
      warn(`${fn}(${a || ""}) threw ${e}`);
    }
    return r == null ? "" : String(r);
  };
  const get = (k) => call(F.get, k);
  let sent = {};
  const set = (k, v) => sent[k] !== v && ((sent[k] = v), call(F.set, k, v), true);
  const pad = (n, w) => ("000" + Math.floor(n)).slice(-w);
  const timespan = (ms) => {
    const cs = Math.max(0, ms) / 10;
    if (!v12) return `PT${Math.floor(cs / 36e4)}H${Math.floor(cs / 6e3) % 60}M${(Math.floor(cs) % 6e3) / 100}S`; // ISO 8601 duration
    return `${pad(Math.min(9999, cs / 36e4), 4)}:${pad((cs / 6e3) % 60, 2)}:${pad((cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`; // CMITimespan
  };
  const score = (s) => (/^\d+(\.\d+)?$/.test(s) && +s <= 100 ? +s : null);

  const P = window.CourseProgress, started = +api.cqStarted || Date.now(), C = M.completion || {}, via = !!api.cqLauncher;
  const data = codec(M, v12 ? 4096 : 64000);
  const RANK = { passed: 3, completed: 2, failed: 1, incomplete: 1 };
  let finished = false, quiet = false, held = {};

  const report = () => {
    if (finished || quiet) return;
    const st = P.status(), a = st.assessment, tried = !!a && a.best !== null;
    const best = tried && !(held.score > a.best) ? a.best : held.score;
    if (v12) {
      const now = tried ? (!a.passed ? "failed" : st.complete ? "passed" : "incomplete") : !a && st.complete ? "completed" : "incomplete";
      const status = (RANK[held.status] || 0) > RANK[now] ? held.status : now; // never lower than the LMS holds
      set(K.status, (held.status = status));
      set(K.exit, /passed|completed/.test(status) ? "" : "suspend");
    } else {
      held.completion = st.complete || held.completion === "completed" ? "completed" : "incomplete";
      held.success = (tried && a.passed) || held.success === "passed" ? "passed" : tried || held.success === "failed" ? "failed" : "unknown";
      set(K.completion, held.completion);
      set(K.success, held.success);
      set(K.exit, held.completion === "completed" && held.success !== "failed" ? "normal" : "suspend");
    }
    if (best !== null && best !== undefined) {
      held.score = best;
      set(K.min, "0");
      set(K.max, "100");
      set(K.raw, String(best));
      if (!v12) set(K.scaled, String(best / 100));
    }
    set("cmi.suspend_data", data.encode(P.load()));
    set(K.session, timespan(Date.now() - started));
    call(F.commit, "");
  };
  const finish = () => {
    if (finished) return;
    if (!via) { // in the package the launch page keeps the session: everything went out while alive
      report();
      call(F.fin, "");
    }
    finished = true;
  };
  const begin = () => {
    call(F.init, "");
    finished = false;
    sent = {};
    quiet = /^(browse|review)$/.test(get(K.mode)); // browse or review: report nothing
    held = v12 ? { status: get(K.status), score: score(get(K.raw)) } : { completion: get(K.completion), success: get(K.success), score: score(get(K.raw)) };
    const who = get(K.id), name = get(K.name).split(","), mastery = get(K.mastery);
    if (who) P.key = M.storage_key + ":" + h4(who) + h4(who + "#"); // one store per LMS learner on a shared PC
    P.lms = true;
    P.defaultName = (name.length === 2 ? name[1] + " " + name[0] : name[0]).trim();
    const mark = !/^-?\d+(\.\d+)?$/.test(mastery) ? NaN : v12 ? +mastery : +mastery * 100;
    if (C.assessment && mark >= 0 && mark <= 100) P.passMarks[C.assessment] = mark;
    const saved = data.decode(get("cmi.suspend_data")), here = P.urlOf(location.href);
    if (saved) P.merge(saved);
    if (here && !quiet) set(K.location, here);
    report();
  };
  // ------------------------------------------------------------ per-question records (issue 13 item 5)
  // Each answered question of a checked attempt becomes one cmi.interactions.n record (appended after
  // those the LMS holds, as both editions' journals are): id "<quiz>.<question>", type, the learner's
  // response in the edition's format, result, latency (when the quiz knows when it was answered) and
  // time. Never in suspend_data. SCORM 1.2 (RTE 3.4.2.7): choice "a,c", true-false "t"/"f", fill-in
  // (255 characters), sequencing "b,a,c", result correct|wrong, time HH:MM:SS, latency HHHH:MM:SS.SS;
  // SCORM 2004 (RTE 4.1.6): learner_response "a[,]c", "true"/"false", fill-in (250), "b[,]a[,]c",
  // result correct|incorrect, timestamp and latency ISO 8601, description (the prompt, 250).
  const LETTER = "abcdefghijklmnopqrstuvwxyz0123456789";
  const TYPE = { single: "choice", multiple: "choice", true_false: "true-false", text: "fill-in", order: "sequencing" };
  const letters = (list) => (Array.isArray(list) ? list.filter((i) => Number.isInteger(i) && i >= 0 && i < LETTER.length).map((i) => LETTER[i]) : []);
  const responseText = (type, r) => {
    if (type === "true_false") return typeof r !== "boolean" ? "" : v12 ? (r ? "t" : "f") : String(r);
    if (type === "text") { // plain text: no 2004 delimiter or language tag can be read into it
      const text = String(r == null ? "" : r).replace(/\[[,.]\]/g, " ").replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
      return text.slice(0, v12 ? 255 : 250);
    }
    const list = letters(type === "single" && Number.isInteger(r) ? [r] : r);
    return list.join(v12 ? "," : "[,]");
  };
  const two = (n) => pad(n, 2);
  const clock = (d) => `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const stamp = (d) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${clock(d)}`;
  const interactions = (d) => {
    if (finished || quiet || !d || !Array.isArray(d.responses)) return;
    let n = parseInt(get("cmi.interactions._count"), 10) || 0;
    const now = new Date(), quizId = String(d.quiz || "quiz");
    d.responses.forEach((r) => {
      const type = TYPE[r && r.type], response = type ? responseText(r.type, r.response) : "";
      if (!response) return; // not answered (e.g. when the time ran out): no record
      const k = `cmi.interactions.${n}.`;
      const id = `${quizId}.${r.id}`.replace(/[^\w\-.:]/g, "_").slice(0, 250);
      call(F.set, k + "id", id);
      call(F.set, k + "type", type);
      if (v12) {
        call(F.set, k + "student_response", response);
        call(F.set, k + "result", r.correct ? "correct" : "wrong");
        call(F.set, k + "time", clock(now));
      } else {
        if (r.description) call(F.set, k + "description", String(r.description).replace(/^\{/, "").slice(0, 250));
        call(F.set, k + "learner_response", response);
        call(F.set, k + "result", r.correct ? "correct" : "incorrect");
        call(F.set, k + "timestamp", stamp(now));
      }
      if (typeof r.latency === "number" && r.latency >= 0) call(F.set, k + "latency", timespan(r.latency));
      n++;
    });
    call(F.commit, "");
  };

  window.CourseScorm = { flush: report, encode: data.encode, decode: data.decode, edition };
  begin();
  document.addEventListener("course:progress", () => report());
  document.addEventListener("course:answered", (e) => interactions(e.detail));
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && report());
  addEventListener("pagehide", finish);
  addEventListener("beforeunload", finish);
  addEventListener("pageshow", (e) => e.persisted && begin());
})();
