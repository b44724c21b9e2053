/* The test LMS. Options (JSON in the URL fragment):
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
  var api = new Scorm12API({ logLevel: 5, mastery_override: false, autocommit: false });
  if (init.cmi) api.loadFromJSON(init.cmi);
  ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"].forEach(function (fn) {
    var orig = api[fn];
    api[fn] = function (a, b) {
      var r = orig.call(api, a, b);
      var code = String(api.LMSGetLastError());
      lmsCalls.push([fn, a, b, r, code]);
      if (fn === "LMSSetValue" && code === "0") lmsValues[a] = b;
      return r;
    };
  });
  window.API = api;
})();
