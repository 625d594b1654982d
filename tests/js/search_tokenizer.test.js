// The browser's tokenizer against the shared vectors (tests/test_search_tokenizer.py checks Python's).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const tok = require(path.join(__dirname, "..", "..", "themes", "portal", "static", "js", "search-tokenizer.js"));
const vectors = require(path.join(__dirname, "..", "search_vectors.json"));

const CASES = {
  normalise: (x) => tok.normalise(x),
  split_runs: (x) => tok.splitRuns(tok.normalise(x)),
  bigrams: (x) => tok.bigrams(x),
  words: (x) => tok.words(x),
  terms: (x) => tok.terms(x),
  doc_no_key: (x) => tok.docNoKey(x),
  title_key: (x) => tok.titleKey(x),
  analyse_query: (x) => tok.analyseQuery(x),
  fnv1a: (x) => tok.fnv1a(x),
};

test("the pipeline has the same named steps", () => {
  assert.deepEqual(tok.LABELS, vectors.pipeline);
  assert.deepEqual(tok.PIPELINE.map((f) => f.name), ["normalise", "splitRuns", "bigrams", "words"]);
});

for (const [name, run] of Object.entries(CASES)) {
  test(`${name} agrees with the vectors`, () => {
    assert.ok(vectors[name].length > 0);
    for (const [input, expected] of vectors[name]) {
      assert.deepEqual(run(input), expected, `${name}(${JSON.stringify(input)})`);
    }
  });
}
