/* The test LMS. Options (JSON in the URL fragment):
 *   edition: "2004"   a SCORM 2004 runtime (window.API_1484_11) instead of SCORM 1.2 (window.API)
 *   both: true        also offer the other edition's runtime (as window.otherApi)
 *   cmi: {...}        initial data, as an LMS holds it (scorm-again loadFromJSON)
 *   launch: "x.html"  the page to open (default: the package's launch page, scorm.html)
 *   noApi: true       no LMS API at all
 *   broken: true | "throw"  an API whose calls all fail (error 101) or throw
 * Records every call in window.lmsCalls ([name, arg1, arg2, result, error code]) and each value the
 * LMS accepted in window.lmsValues. */
(function () {
  var init = {};
  try { init = JSON.parse(decodeURIComponent(location.hash.slice(1)) || "{}"); } catch (e) { init = {}; }
  window.lmsInit = init;
  window.lmsCalls = [];
  window.lmsValues = {};
  if (init.noApi) return;
  if (init.broken) {
    var fail = function (name) {
      return function (a, b) {
        lmsCalls.push([name, a, b, "false", "101"]);
        if (init.broken === "throw" && name !== "LMSInitialize") throw new Error("the LMS is down");
        return name === "LMSGetValue" ? "" : "false";
      };
    };
    window.API = {
      LMSInitialize: fail("LMSInitialize"), LMSFinish: fail("LMSFinish"), LMSGetValue: fail("LMSGetValue"),
      LMSSetValue: fail("LMSSetValue"), LMSCommit: fail("LMSCommit"),
      LMSGetLastError: function () { return "101"; },
      LMSGetErrorString: function () { return "General exception"; },
      LMSGetDiagnostic: function () { return "the test LMS always fails"; }
    };
    return;
  }
  var v2004 = init.edition === "2004";
  var api = v2004 ? new Scorm2004API({ logLevel: 5, autocommit: false }) : new Scorm12API({ logLevel: 5, mastery_override: false, autocommit: false });
  if (init.cmi) api.loadFromJSON(init.cmi);
  var names = v2004 ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"] : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"];
  names.forEach(function (fn, n) {
    var orig = api[fn];
    api[fn] = function (a, b) {
      var r = orig.call(api, a, b);
      var code = String(v2004 ? api.GetLastError() : api.LMSGetLastError());
      lmsCalls.push([fn, a, b, r, code]);
      if (n === 3 && code === "0") lmsValues[a] = b;
      return r;
    };
  });
  if (v2004) window.API_1484_11 = api;
  else window.API = api;
  if (init.both) { // an LMS that offers both runtimes: the other one must stay untouched
    window.otherApi = v2004 ? new Scorm12API({ logLevel: 5 }) : new Scorm2004API({ logLevel: 5 });
    if (v2004) window.API = window.otherApi;
    else window.API_1484_11 = window.otherApi;
  }
})();
