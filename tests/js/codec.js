/* Runs the course's suspend_data codec (builder/package/scorm.js) in Node.
 * stdin: {"manifest": {...}, "budget": n, "states": [...]}; stdout: [{"text": "...", "back": {...}}]. */
"use strict";
const fs = require("fs"), vm = require("vm"), path = require("path");
const src = fs.readFileSync(path.join(__dirname, "..", "..", "builder", "package", "scorm.js"), "utf8");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const window = {};
vm.runInNewContext(src, { window, console });
const codec = window.CourseScormCodec(input.manifest, input.budget);
process.stdout.write(JSON.stringify(input.states.map((s) => {
  const text = codec.encode(s);
  return { text, back: codec.decode(text) };
})));
