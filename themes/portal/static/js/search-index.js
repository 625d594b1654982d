// The policy library's index in the browser: loads search/data/index.json, fetches only the shards
// a query needs, and ranks like lunr (BM25 with field boosts) over typed arrays. The file format is
// described in govportal/search/codec.py, the layout in govportal/search/pages.py.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./search-tokenizer.js"));
  } else {
    root.GovSearchIndex = factory(root.GovSearchTokenizer);
  }
}(typeof self !== "undefined" ? self : this, function (tok) {
  "use strict";
  var FORMAT = 1;
  var MAX_TERMS = 12; // per input: a long query is represented by 12 of its terms, spread over it
  var PARTIAL = 0.6; // with no complete match, show documents with this share of the terms
  var SPARSE = 0, COMPLEMENT = 1, BITMAP = 2;
  var GROUP_FIELDS = {
    q: ["title", "title1", "doc_no", "issuer", "topic", "keywords", "summary", "attachments", "body", "att"],
    title: ["title", "title1"],
    doc_no: ["doc_no"]
  };
  var GROUP_KEYS = { q: "#=", title: "=", doc_no: "#" };

  function defaultFetch(url, kind) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return kind === "json" ? response.json() : response.arrayBuffer();
    });
  }

  function Reader(bytes) { this.b = bytes; this.p = 0; }
  Reader.prototype.varint = function () {
    var value = 0, shift = 0, byte;
    do { byte = this.b[this.p++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return value;
  };

  var utf8 = new TextDecoder("utf-8");

  function decodeShard(buffer, weighted, universe) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 71 || bytes[1] !== 80 || bytes[2] !== 83 || bytes[3] !== 49) { throw new Error("not a search shard"); }
    var r = new Reader(bytes), out = new Map();
    r.p = 4;
    for (var t = r.varint(); t > 0; t--) {
      var length = r.varint();
      var term = utf8.decode(bytes.subarray(r.p, r.p + length));
      r.p += length;
      var list = [];
      for (var f = r.varint(); f > 0; f--) {
        var field = bytes[r.p], kind = bytes[r.p + 1];
        r.p += 2;
        if (kind === BITMAP) { list.push({ f: field, kind: kind, raw: bytes, at: r.p }); r.p += (universe + 7) >> 3; continue; }
        var n = r.varint(), ids = new Int32Array(n), last = -1;
        for (var i = 0; i < n; i++) { last += r.varint(); ids[i] = last; }
        var weights = null;
        if (kind === SPARSE && weighted[field]) { weights = bytes.subarray(r.p, r.p + n); r.p += n; }
        list.push({ f: field, kind: kind, ids: ids, w: weights });
      }
      out.set(term, list);
    }
    return out;
  }

  function SearchIndex(manifestUrl, options) {
    this.url = manifestUrl;
    this.fetcher = (options && options.fetch) || defaultFetch;
    this.files = new Map();
    this.stamp = 0;
  }

  SearchIndex.prototype.resolve = function (name) {
    return new URL(name, new URL(this.url, typeof location !== "undefined" ? location.href : "file:///")).href;
  };

  SearchIndex.prototype.get = function (name, kind) {
    var url = this.resolve(name);
    if (!this.files.has(url)) {
      var self = this;
      var pending = this.fetcher(url, kind).catch(function (error) { self.files.delete(url); throw error; });
      this.files.set(url, pending);
    }
    return this.files.get(url);
  };

  SearchIndex.prototype.open = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.fetcher(this.resolve(this.url), "json").then(function (m) {
        if (m.format !== FORMAT || m.pipeline.join() !== tok.LABELS.join()) {
          throw new Error("检索索引与本页面的程序版本不一致，请刷新页面。");
        }
        self.m = m;
        self.fields = m.fields.map(function (f, i) { return { id: i, name: f[0], boost: f[1], weighted: f[2], text: f[3] }; });
        self.byName = {};
        self.weighted = {};
        self.fields.forEach(function (f) { self.byName[f.name] = f; self.weighted[f.id] = f.weighted; });
        self.dead = new Uint8Array(m.total);
        m.delta.dead.forEach(function (id) { self.dead[id] = 1; });
        self.block = m.block;
        return self.get("norms.bin?v=" + m.delta.id, "bin");
      }).then(function (norms) {
        self.norms = new Uint8Array(norms);
        var n = self.m.total;
        self.score = new Float64Array(n);
        self.cov = new Uint16Array(n);
        self.tcov = new Uint16Array(n);
        self.flags = new Uint8Array(n);
        self.seen = new Int32Array(n); // query stamp: touched by this query
        self.mark = new Int32Array(n); // term stamp: counted for this term
        self.tmark = new Int32Array(n); // term stamp: counted for this term in the title
        self.bcov = new Uint16Array(n); // terms found in the body
        self.acov = new Uint16Array(n); // terms found in the attachments' text
        self.bmark = new Int32Array(n);
        self.amark = new Int32Array(n);
        return self;
      });
    }
    return this.ready;
  };

  SearchIndex.prototype.shard = function (family, n) {
    var m = this.m, weighted = this.weighted, universe = m.base.size;
    var name = family + n + ".bin?v=" + (family === "d" ? m.delta.id : m.base.id);
    var key = "shard:" + name;
    if (!this.files.has(key)) {
      this.files.set(key, this.get(name, "bin").then(function (buffer) { return decodeShard(buffer, weighted, universe); }));
    }
    return this.files.get(key);
  };

  SearchIndex.prototype.facets = function () {
    var self = this;
    if (!this.facetData) {
      this.facetData = this.get("facets.json?v=" + this.m.facets, "json").then(function (c) {
        var day = new Int32Array(c.day.length), last = 0;
        for (var i = 0; i < c.day.length; i++) { last += c.day[i]; day[i] = last; }
        return { type: c.type, issuer: c.issuer, topic: c.topic, validity: c.validity, status: c.status, day: day };
      });
    }
    return this.facetData;
  };

  // Expand a dense posting (bitmap or complement) into ids once.
  SearchIndex.prototype.ids = function (p) {
    if (p.kind === SPARSE) { return p.ids; }
    if (!p.full) {
      var universe = this.m.base.size, out = new Int32Array(universe), n = 0, i;
      if (p.kind === COMPLEMENT) {
        var skip = p.ids, k = 0;
        for (i = 0; i < universe; i++) { if (k < skip.length && skip[k] === i) { k++; } else { out[n++] = i; } }
      } else {
        for (i = 0; i < universe; i++) { if (p.raw[p.at + (i >> 3)] & (1 << (i & 7))) { out[n++] = i; } }
      }
      p.full = out.subarray(0, n);
    }
    return p.full;
  };

  // What each input (q, title, doc_no) asks for: terms with the fields they may match, exact keys.
  SearchIndex.prototype.plan = function (spec) {
    var self = this, items = [], shards = new Map();
    var m = this.m;
    ["q", "title", "doc_no"].forEach(function (group) {
      var text = (spec[group] || "").trim();
      if (!text) { return; }
      var query = tok.analyseQuery(text);
      var fields = GROUP_FIELDS[group].map(function (name) { return self.byName[name].id; });
      var chosen = pick(query.terms);
      chosen.forEach(function (term) { items.push({ term: term, fields: fields, key: false, group: group }); });
      query.keys.forEach(function (key) {
        if (GROUP_KEYS[group].indexOf(key[0]) >= 0) { items.push({ term: key, fields: [self.byName.key.id], key: true, group: group }); }
      });
    });
    items.forEach(function (item) {
      var h = tok.fnv1a(item.term);
      var meta = item.fields.some(function (f) { return !self.fields[f].text; });
      var text = item.fields.some(function (f) { return self.fields[f].text; });
      if (meta) { shards.set("m" + (h % m.base.meta), ["m", h % m.base.meta]); }
      if (text) { shards.set("t" + (h % m.base.text), ["t", h % m.base.text]); }
      if (m.delta.shards) { shards.set("d" + (h % m.delta.shards), ["d", h % m.delta.shards]); }
    });
    return { items: items, shards: Array.from(shards.values()) };
  };

  function pick(terms) {
    if (terms.length <= MAX_TERMS) { return terms; }
    var out = [];
    for (var i = 0; i < MAX_TERMS; i++) { out.push(terms[Math.round(i * (terms.length - 1) / (MAX_TERMS - 1))]); }
    return out;
  }

  function filtering(filters) {
    return !!(filters && (filters.type || filters.issuer || filters.topic || filters.validity || filters.year ||
      filters.from || filters.to));
  }

  function dayNumber(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000) : null;
  }

  // A predicate over ids for the filters, or null when nothing is filtered.
  SearchIndex.prototype.filter = function (filters, facets) {
    if (!filtering(filters)) { return null; }
    var v = this.m.vocab;
    var type = filters.type ? v.types.indexOf(filters.type) : -2;
    var issuer = filters.issuer ? v.issuers.indexOf(filters.issuer) : -2;
    var validity = filters.validity ? v.validities.indexOf(filters.validity) : -2;
    var topics = null;
    if (filters.topic) {
      topics = new Set();
      v.topics.forEach(function (t, i) { if (t === filters.topic || t.indexOf(filters.topic + "/") === 0) { topics.add(i); } });
    }
    var from = dayNumber(filters.from), to = dayNumber(filters.to);
    if (filters.year) {
      var y = parseInt(filters.year, 10);
      var start = dayNumber(y + "-01-01"), end = dayNumber(y + "-12-31");
      from = from === null ? start : Math.max(from, start);
      to = to === null ? end : Math.min(to, end);
    }
    return function (id) {
      if (type !== -2 && facets.type[id] !== type) { return false; }
      if (issuer !== -2 && facets.issuer[id] !== issuer) { return false; }
      if (validity !== -2 && facets.validity[id] !== validity) { return false; }
      if (topics && !topics.has(facets.topic[id])) { return false; }
      if (from !== null && facets.day[id] < from) { return false; }
      if (to !== null && facets.day[id] > to) { return false; }
      return true;
    };
  };

  // spec: {q, title, doc_no, filters: {type, issuer, topic, validity, year, from, to}, sort: "relevance"|"date"}
  // -> {hits: [{id, key, meta, body, att}], partial, missing: [terms found nowhere]}
  SearchIndex.prototype.search = function (spec) {
    var self = this;
    return this.open().then(function () {
      var plan = self.plan(spec);
      var wantFacets = filtering(spec.filters) || spec.sort === "date" || !plan.items.length;
      return Promise.all([
        Promise.all(plan.shards.map(function (s) { return self.shard(s[0], s[1]).then(function (d) { return [s[0], d]; }); })),
        wantFacets ? self.facets() : null
      ]).then(function (loaded) { return self.rank(plan, spec, loaded[0], loaded[1]); });
    });
  };

  // The postings of a term in the loaded shards, restricted to some fields.
  function postings(term, loaded, fields) {
    var out = [];
    loaded.forEach(function (entry) {
      var list = entry[1].get(term);
      if (!list) { return; }
      list.forEach(function (p) { if (fields.indexOf(p.f) >= 0) { out.push({ p: p, base: entry[0] !== "d" }); } });
    });
    return out;
  }

  SearchIndex.prototype.rank = function (plan, spec, loaded, facets) {
    var self = this, m = this.m, n = m.total, fields = this.fields;
    var score = this.score, cov = this.cov, tcov = this.tcov, bcov = this.bcov, acov = this.acov, flags = this.flags;
    var seen = this.seen, mark = this.mark, tmark = this.tmark, bmark = this.bmark, amark = this.amark;
    var dead = this.dead, norms = this.norms, body = this.byName.body.id;
    var live = m.count || n, title = this.byName.title.id, title1 = this.byName.title1.id, att = this.byName.att.id;
    var touched = [], required = 0, titleRequired = 0, missing = [];
    var query = ++this.stamp;
    plan.items.forEach(function (item) {
      var found = postings(item.term, loaded, item.fields);
      if (!found.length) { if (!item.key) { missing.push(item.term); } return; }
      var stamp = ++self.stamp;
      if (!item.key) { required++; }
      if (!item.key && found.some(function (x) { return x.p.f === title || x.p.f === title1; })) { titleRequired++; }
      var df = {};
      found.forEach(function (x) { df[x.p.f] = (df[x.p.f] || 0) + self.ids(x.p).length; });
      found.forEach(function (x) {
        var p = x.p, f = fields[p.f], ids = self.ids(p), w = p.kind === SPARSE ? p.w : null;
        var scale = f.boost * Math.log(1 + (live - df[p.f] + 0.5) / (df[p.f] + 0.5)) / m.weightScale;
        var fixed = f.text ? 0 : m.defaultWeight, normAt = p.f === att ? 1 : 0;
        var bit = item.key ? 1 : f.text ? (p.f === att ? 4 : 2) : 8;
        var inTitle = !item.key && (p.f === title || p.f === title1);
        var inBody = p.f === body, inAtt = p.f === att;
        for (var i = 0; i < ids.length; i++) {
          var id = ids[i];
          if (x.base && dead[id]) { continue; }
          if (seen[id] !== query) { seen[id] = query; touched.push(id); }
          score[id] += scale * (w ? w[i] : fixed || norms[2 * id + normAt]);
          flags[id] |= bit;
          if (!item.key && mark[id] !== stamp) { mark[id] = stamp; cov[id]++; }
          if (inTitle && tmark[id] !== stamp) { tmark[id] = stamp; tcov[id]++; }
          if (inBody && bmark[id] !== stamp) { bmark[id] = stamp; bcov[id]++; }
          if (inAtt && amark[id] !== stamp) { amark[id] = stamp; acov[id]++; }
        }
      });
    });
    var keep = this.filter(spec.filters, facets);
    var hits = [], partial = false, id, i;
    function hit(d) {
      return { id: d, key: !!(flags[d] & 1), body: required > 0 && bcov[d] >= required, att: required > 0 && acov[d] >= required,
        meta: !!(flags[d] & 8), s: score[d], c: cov[d], t: titleRequired && tcov[d] >= titleRequired ? 1 : 0 };
    }
    function collect(least) {
      var out = [];
      for (var j = 0; j < touched.length; j++) {
        var d = touched[j];
        if ((flags[d] & 1 || cov[d] >= least) && (!keep || keep(d))) { out.push(hit(d)); }
      }
      return out;
    }
    var asked = required + missing.length;
    if (!plan.items.length) {
      var removed = m.vocab.statuses.indexOf("removed");
      for (id = 0; id < n; id++) { if (facets.status[id] !== removed && (!keep || keep(id))) { hits.push(hit(id)); } }
    } else if (required >= asked * PARTIAL) {
      // Terms found nowhere are left out; with too many of them there is nothing to show.
      hits = collect(required);
      partial = missing.length > 0 && !hits.some(function (h) { return h.key; });
      if (!hits.length && required > 1) { hits = collect(Math.ceil(required * PARTIAL)); partial = hits.length > 0; }
    } else {
      hits = touched.filter(function (d) { return flags[d] & 1 && (!keep || keep(d)); }).map(hit);
    }
    for (i = 0; i < touched.length; i++) {
      id = touched[i];
      score[id] = 0; cov[id] = 0; tcov[id] = 0; bcov[id] = 0; acov[id] = 0; flags[id] = 0;
    }
    var day = facets ? facets.day : null;
    if (spec.sort === "date" || !plan.items.length) {
      hits.sort(function (a, b) { return (day[b.id] - day[a.id]) || (b.s - a.s) || (a.id - b.id); });
    } else {
      hits.sort(function (a, b) {
        return (b.key - a.key) || (b.c - a.c) || (b.t - a.t) || (b.s - a.s) || (day ? day[b.id] - day[a.id] : 0) || (a.id - b.id);
      });
    }
    return {
      hits: hits, partial: partial, missing: missing,
      terms: plan.items.filter(function (x) { return !x.key; }).map(function (x) { return x.term; })
    };
  };

  // The rows of the docs files for ids: [url, title, 文号, date, type, issuer, validity, status, summary, attachments]
  SearchIndex.prototype.docs = function (ids) {
    var self = this, block = this.block;
    var needed = Array.from(new Set(ids.map(function (id) { return Math.floor(id / block); })));
    return Promise.all(needed.map(function (b) { return self.get("docs/" + b + ".json?v=" + self.m.blocks[b], "json"); }))
      .then(function (files) {
        var byBlock = new Map();
        needed.forEach(function (b, i) { byBlock.set(b, files[i]); });
        return ids.map(function (id) { return byBlock.get(Math.floor(id / block))[id % block]; });
      });
  };

  return { SearchIndex: SearchIndex, decodeShard: decodeShard, FORMAT: FORMAT };
}));
