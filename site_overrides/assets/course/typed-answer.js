/* Typed-answer normalisation (issue 10, item 1): the browser half of builder/typed_answer.py; both
 * give the same string for the same input (tests/test_typed_answer.py runs one table through both).
 * NFKC, full case folding (toLowerCase per code point, corrected by FOLD_RANGES/FOLD_MULTI where Python's casefold
 * differs), NFKC again, typographic apostrophes/quotes/dashes -> ' " -, white space runs -> one
 * space, surrounding punctuation (Ps Pe Pi Pf Po, except KEEP) and spaces dropped.
 * Exposes Course.normaliseAnswer(text) -> string. The FOLD_ tables are generated: python -m builder.typed_answer */
(function () {
  "use strict";
  var Course = (window.Course = window.Course || {});
  var FOLD_RANGES = [[181,1,775],[383,1,-268],[837,1,116],[962,1,1],[976,1,-30],[977,1,-25],[981,1,-15],[982,1,-22],[1008,1,-54],[1009,1,-48],[1013,1,-64],[5024,86,0],[5112,6,-8],[7296,1,-6222],[7297,1,-6221],[7298,1,-6212],[7299,2,-6210],[7301,1,-6211],[7302,1,-6204],[7303,1,-6180],[7304,1,35267],[7835,1,-58],[8126,1,-7173],[43888,80,-38864]];
  var FOLD_MULTI = {"\u00df":"ss","\u0149":"\u02bcn","\u01f0":"j\u030c","\u0390":"\u03b9\u0308\u0301","\u03b0":"\u03c5\u0308\u0301","\u0587":"\u0565\u0582","\u1e96":"h\u0331","\u1e97":"t\u0308","\u1e98":"w\u030a","\u1e99":"y\u030a","\u1e9a":"a\u02be","\u1e9e":"ss","\u1f50":"\u03c5\u0313","\u1f52":"\u03c5\u0313\u0300","\u1f54":"\u03c5\u0313\u0301","\u1f56":"\u03c5\u0313\u0342","\u1f80":"\u1f00\u03b9","\u1f81":"\u1f01\u03b9","\u1f82":"\u1f02\u03b9","\u1f83":"\u1f03\u03b9","\u1f84":"\u1f04\u03b9","\u1f85":"\u1f05\u03b9","\u1f86":"\u1f06\u03b9","\u1f87":"\u1f07\u03b9","\u1f88":"\u1f00\u03b9","\u1f89":"\u1f01\u03b9","\u1f8a":"\u1f02\u03b9","\u1f8b":"\u1f03\u03b9","\u1f8c":"\u1f04\u03b9","\u1f8d":"\u1f05\u03b9","\u1f8e":"\u1f06\u03b9","\u1f8f":"\u1f07\u03b9","\u1f90":"\u1f20\u03b9","\u1f91":"\u1f21\u03b9","\u1f92":"\u1f22\u03b9","\u1f93":"\u1f23\u03b9","\u1f94":"\u1f24\u03b9","\u1f95":"\u1f25\u03b9","\u1f96":"\u1f26\u03b9","\u1f97":"\u1f27\u03b9","\u1f98":"\u1f20\u03b9","\u1f99":"\u1f21\u03b9","\u1f9a":"\u1f22\u03b9","\u1f9b":"\u1f23\u03b9","\u1f9c":"\u1f24\u03b9","\u1f9d":"\u1f25\u03b9","\u1f9e":"\u1f26\u03b9","\u1f9f":"\u1f27\u03b9","\u1fa0":"\u1f60\u03b9","\u1fa1":"\u1f61\u03b9","\u1fa2":"\u1f62\u03b9","\u1fa3":"\u1f63\u03b9","\u1fa4":"\u1f64\u03b9","\u1fa5":"\u1f65\u03b9","\u1fa6":"\u1f66\u03b9","\u1fa7":"\u1f67\u03b9","\u1fa8":"\u1f60\u03b9","\u1fa9":"\u1f61\u03b9","\u1faa":"\u1f62\u03b9","\u1fab":"\u1f63\u03b9","\u1fac":"\u1f64\u03b9","\u1fad":"\u1f65\u03b9","\u1fae":"\u1f66\u03b9","\u1faf":"\u1f67\u03b9","\u1fb2":"\u1f70\u03b9","\u1fb3":"\u03b1\u03b9","\u1fb4":"\u03ac\u03b9","\u1fb6":"\u03b1\u0342","\u1fb7":"\u03b1\u0342\u03b9","\u1fbc":"\u03b1\u03b9","\u1fc2":"\u1f74\u03b9","\u1fc3":"\u03b7\u03b9","\u1fc4":"\u03ae\u03b9","\u1fc6":"\u03b7\u0342","\u1fc7":"\u03b7\u0342\u03b9","\u1fcc":"\u03b7\u03b9","\u1fd2":"\u03b9\u0308\u0300","\u1fd3":"\u03b9\u0308\u0301","\u1fd6":"\u03b9\u0342","\u1fd7":"\u03b9\u0308\u0342","\u1fe2":"\u03c5\u0308\u0300","\u1fe3":"\u03c5\u0308\u0301","\u1fe4":"\u03c1\u0313","\u1fe6":"\u03c5\u0342","\u1fe7":"\u03c5\u0308\u0342","\u1ff2":"\u1f7c\u03b9","\u1ff3":"\u03c9\u03b9","\u1ff4":"\u03ce\u03b9","\u1ff6":"\u03c9\u0342","\u1ff7":"\u03c9\u0342\u03b9","\u1ffc":"\u03c9\u03b9","\ufb00":"ff","\ufb01":"fi","\ufb02":"fl","\ufb03":"ffi","\ufb04":"ffl","\ufb05":"st","\ufb06":"st","\ufb13":"\u0574\u0576","\ufb14":"\u0574\u0565","\ufb15":"\u0574\u056b","\ufb16":"\u057e\u0576","\ufb17":"\u0574\u056d"};
  var APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u02bb\u02bd\u00b4\u0060\ua78c";
  var QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\u301d\u301e\u301f";
  var DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d";
  var SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  var PUNCT = /^[\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}]$/u;
  var KEEP = "#%&*@/\\\u00a7\u00b6\u2020\u2021\u2030\u2031";

  function fold(ch) {
    if (Object.prototype.hasOwnProperty.call(FOLD_MULTI, ch)) return FOLD_MULTI[ch];
    var cp = ch.codePointAt(0);
    for (var i = 0; i < FOLD_RANGES.length; i++) {
      var r = FOLD_RANGES[i];
      if (cp >= r[0] && cp < r[0] + r[1]) return String.fromCodePoint(cp + r[2]);
    }
    return ch.toLowerCase();
  }
  function plain(ch) {
    if (APOSTROPHES.indexOf(ch) !== -1) return "'";
    if (QUOTES.indexOf(ch) !== -1) return '"';
    if (DASHES.indexOf(ch) !== -1) return "-";
    return ch;
  }
  function surrounding(ch) {
    return ch === " " || (PUNCT.test(ch) && KEEP.indexOf(ch) === -1);
  }

  Course.normaliseAnswer = function (text) {
    var s = String(text == null ? "" : text).normalize("NFKC"), out = "", chars, i;
    chars = Array.from(s);
    for (i = 0; i < chars.length; i++) {
      out += fold(chars[i]);
    }
    chars = Array.from(out.normalize("NFKC"));
    out = "";
    for (i = 0; i < chars.length; i++) out += plain(chars[i]);
    chars = Array.from(out.replace(SPACES, " "));
    var start = 0, end = chars.length;
    while (start < end && surrounding(chars[start])) start++;
    while (end > start && surrounding(chars[end - 1])) end--;
    return chars.slice(start, end).join("");
  };
})();
