"""Generated xAPI statements with known counts, shaped as xapi.js sends them (issue 15), for the
fixture course of tests/test_xapi.py (quiz `sample` of tests/fixtures/basic, scenario `late-order`).

Every block of 10 learners (i = learner number % 10) does exactly this:
  quiz sample   first try: i 0-3 all right (5/5); i 4-6 miss first-response (4/5, passed);
                i 7-9 miss first-response and tf (3/5, failed). Wrong first-response: option 1,
                except i 9: option 2. i 0-2 try again and get all right.
  late-order    i 0-5: open 0 -> listened 0 -> fixed (success, calm 3); i 6-7: open 1 -> lost
                (failure, calm 0); i 8-9: open 0, then stop at listened.
"""

from __future__ import annotations

import datetime as dt
import uuid

BASE = "https://courses.invalid/fixture"
EXT = "https://courses.invalid/xapi/extensions/"
ADL = "http://adlnet.gov/expapi/verbs/"
QUESTIONS = ["first-response", "pick-two", "tf", "word", "steps"]
RIGHT = {"first-response": "0", "pick-two": "0[,]1", "tf": "false", "word": "listen", "steps": "0[,]1[,]2"}


def make_statements(learners: int, seed: int = 1) -> list[dict]:
    out: list[dict] = []
    clock = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    ids = uuid.UUID(int=seed)

    def st(who: int, verb: str, obj: str, result: dict | None = None, ext: dict | None = None) -> None:
        nonlocal clock, ids
        clock += dt.timedelta(seconds=1)
        ids = uuid.UUID(int=(ids.int * 6364136223846793005 + 1442695040888963407) % (1 << 128))
        s = {
            "id": str(uuid.UUID(bytes=ids.bytes, version=4)),
            "actor": {"objectType": "Agent", "mbox": f"mailto:learner{who}@example.com"},
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": BASE + obj},
            "timestamp": clock.isoformat().replace("+00:00", "Z"),
            "context": {"registration": str(uuid.UUID(int=who + 1)), "extensions": ext or {}},
        }
        if result is not None:
            s["result"] = result
        out.append(s)

    for who in range(learners):
        i = who % 10
        st(who, "initialized", "")
        tries = [{"first-response": i <= 3, "tf": i <= 6}] + ([{}] if i <= 2 else [])
        for attempt in tries:
            right = 0
            for q in QUESTIONS:
                ok = attempt.get(q, True)
                right += ok
                resp = (
                    RIGHT[q]
                    if ok
                    else (
                        "2"
                        if (q == "first-response" and i == 9)
                        else "1"
                        if q == "first-response"
                        else "true"
                    )
                )
                st(
                    who,
                    "answered",
                    f"/quiz/sample/question/{q}",
                    {"success": ok, "response": resp, "duration": "PT5S"},
                )
            passed = right / 5 >= 0.75
            st(who, "passed" if passed else "failed", "/quiz/sample",
               {"score": {"scaled": right / 5, "raw": right, "min": 0, "max": 5}, "success": passed, "completion": True})  # fmt: skip
        att = {EXT + "attempt": f"a-{who}"}
        st(who, "attempted", "/scenario/late-order", None, att)
        if i <= 5:
            st(
                who,
                "answered",
                "/scenario/late-order/node/open",
                {"response": "0", "extensions": {EXT + "meters": {"calm": 2}}},
                att,
            )
            st(
                who,
                "answered",
                "/scenario/late-order/node/listened",
                {"response": "0", "extensions": {EXT + "meters": {"calm": 3}}},
                att,
            )
            end = ("fixed", "success", 3, [0, 0])
        elif i <= 7:
            st(
                who,
                "answered",
                "/scenario/late-order/node/open",
                {"response": "1", "extensions": {EXT + "meters": {"calm": 0}}},
                att,
            )
            end = ("lost", "failure", 0, [1])
        else:
            st(
                who,
                "answered",
                "/scenario/late-order/node/open",
                {"response": "0", "extensions": {EXT + "meters": {"calm": 2}}},
                att,
            )
            end = None
        if end:
            node, outcome, calm, path = end
            st(who, "completed", "/scenario/late-order",
               {"completion": True, "success": outcome == "success", "response": outcome,
                "extensions": {EXT + "ending": outcome, EXT + "node": node, EXT + "meters": {"calm": calm}, EXT + "path": path}},
               att)  # fmt: skip
    return out
