// The shared Chinese tokenizer, for the query: the same named functions as govportal/search/tokenizer.py,
// which cuts the index. tests/search_vectors.json holds the cases both test suites check.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); } else { root.GovSearchTokenizer = factory(); }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\\u{20000}-\\u{3134f}";
  var RUN = new RegExp("[" + HAN + "0-9a-z]+", "gu");
  var WORD = /[0-9a-z]{3,}/g;
  var SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  // govportal/identifiers.py normalise_doc_no, on text already normalised and without spaces.
  var LOOSE_DOC_NO = /^([\u3400-\u9fffA-Za-z]+?)(?:[〔\[【（(［〖{](\d{4})年?[〕\]】）)］〗}]|(\d{4})年?)第?(\d+)号?$/;
  var LOOSE_ORDER = /^([\u3400-\u9fff]+令)第?(\d+)号?$/;
  var YEAR = /^(?:19|20)\d{2}$/;

  function normalise(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  function splitRuns(text) {
    return text.match(RUN) || [];
  }

  function bigrams(runs) {
    var out = [];
    runs.forEach(function (run) {
      var chars = Array.from(run);
      if (chars.length === 1) { out.push(run); return; }
      for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
    });
    return out;
  }

  function words(runs) {
    return runs.join(" ").match(WORD) || [];
  }

  var PIPELINE = [normalise, splitRuns, bigrams, words];
  var LABELS = ["normalise", "split_runs", "bigrams", "words"];

  function terms(text) {
    var runs = splitRuns(normalise(text));
    return bigrams(runs).concat(words(runs));
  }

  function stripZeros(digits) {
    return digits.replace(/^0+(?=\d)/, "");
  }

  function normaliseDocNo(text) {
    var m = LOOSE_DOC_NO.exec(text);
    if (m) {
      var year = m[2] || m[3];
      return YEAR.test(year) ? m[1] + "〔" + year + "〕" + stripZeros(m[4]) + "号" : null;
    }
    m = LOOSE_ORDER.exec(text);
    if (m && /[1-9]/.test(m[2])) { return m[1] + "第" + stripZeros(m[2]) + "号"; }
    return null;
  }

  function docNoKey(text) {
    var compact = normalise(text || "").replace(SPACE, "");
    if (!compact) { return null; }
    var canonical = normaliseDocNo(compact);
    return canonical ? "#" + canonical.toLowerCase() : null;
  }

  function titleKey(text) {
    var joined = splitRuns(normalise(text || "")).join("");
    return joined ? "=" + joined : null;
  }

  function unique(list) {
    var seen = new Set();
    return list.filter(function (item) { if (seen.has(item)) { return false; } seen.add(item); return true; });
  }

  function analyseQuery(text) {
    var keys = [], texts = [], whole = docNoKey(text);
    if (whole) {
      keys.push(whole);
      texts.push(whole.slice(1));
    } else {
      String(text).split(SPACE).forEach(function (part) {
        var key = part ? docNoKey(part) : null;
        if (key && keys.indexOf(key) < 0) { keys.push(key); }
        texts.push(key ? key.slice(1) : part);
      });
    }
    var key = titleKey(text);
    if (key) { keys.push(key); }
    return { terms: unique(terms(texts.join(" "))), keys: keys };
  }

  function fnv1a(token) {
    var h = 0x811c9dc5;
    for (var ch of token) { h = Math.imul((h ^ ch.codePointAt(0)) >>> 0, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  return {
    normalise: normalise, splitRuns: splitRuns, bigrams: bigrams, words: words, PIPELINE: PIPELINE, LABELS: LABELS,
    terms: terms, normaliseDocNo: normaliseDocNo, docNoKey: docNoKey, titleKey: titleKey, analyseQuery: analyseQuery,
    fnv1a: fnv1a
  };
}));
