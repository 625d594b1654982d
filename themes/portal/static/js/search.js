// 政策文件检索: the search page. Every state lives in the URL (?q=&title=&doc_no=&type=&issuer=&topic=
// &validity=&year=&from=&to=&sort=&page=); results are drawn with DOM nodes and textContent only.
(function () {
  "use strict";
  var PAGE = 20;
  var SNIPPETS = 10; // body hits of the first page get a snippet from their page
  var TEXT_PARAMS = ["q", "title", "doc_no"];
  var FILTERS = ["type", "issuer", "topic", "validity", "year", "from", "to"];
  var PARAMS = TEXT_PARAMS.concat(FILTERS, ["sort"]);
  var ADVANCED = ["title", "doc_no"].concat(FILTERS, ["sort"]); // any of these opens the advanced fields
  var tok = window.GovSearchTokenizer;
  var stats = window.govSearch = { latencies: [], renders: 0, last: null };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search), state = {};
    PARAMS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    state.page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    return state;
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    PARAMS.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    if (state.page > 1) { params.set("page", String(state.page)); }
    var text = params.toString();
    return text ? "?" + text : location.pathname;
  }

  function init(form) {
    var index = new window.GovSearchIndex.SearchIndex(form.getAttribute("data-index"));
    var list = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var empty = document.getElementById("search-empty");
    var more = document.getElementById("search-more");
    var advanced = document.getElementById("search-advanced");
    var state = readUrl(), sequence = 0, committed = true, snippetCache = new Map();

    function readForm() {
      var out = {};
      PARAMS.forEach(function (name) { out[name] = form.elements[name] ? form.elements[name].value.trim() : ""; });
      out.page = 1;
      return out;
    }

    function writeForm(s) {
      PARAMS.forEach(function (name) { if (form.elements[name]) { form.elements[name].value = s[name]; } });
      if (ADVANCED.some(function (name) { return s[name]; })) { advanced.open = true; }
    }

    function anything(s) {
      return PARAMS.some(function (name) { return name !== "sort" && s[name]; });
    }

    function spec(s) {
      return {
        q: s.q, title: s.title, doc_no: s.doc_no, sort: s.sort === "date" ? "date" : "relevance",
        filters: FILTERS.reduce(function (out, name) { out[name] = s[name]; return out; }, {})
      };
    }

    // Highlight in text every occurrence of a query term, comparing normalised characters.
    function highlight(text, terms) {
      var chars = Array.from(text || ""), norm = "", owner = [];
      chars.forEach(function (c, i) {
        var n = tok.normalise(c);
        for (var k = 0; k < n.length; k++) { owner.push(i); }
        norm += n;
      });
      var marked = new Uint8Array(chars.length);
      terms.forEach(function (term) {
        if (!term) { return; }
        for (var at = norm.indexOf(term); at >= 0; at = norm.indexOf(term, at + 1)) {
          for (var k = at; k < at + term.length; k++) { marked[owner[k]] = 1; }
        }
      });
      var fragment = document.createDocumentFragment(), run = "", inMark = false;
      function flush() {
        if (!run) { return; }
        fragment.appendChild(inMark ? el("mark", run) : document.createTextNode(run));
        run = "";
      }
      chars.forEach(function (c, i) {
        if (!!marked[i] !== inMark) { flush(); inMark = !!marked[i]; }
        run += c;
      });
      flush();
      return fragment;
    }

    function badge(text, className) {
      return el("span", text, "badge" + (className ? " " + className : ""));
    }

    function item(hit, row, terms) {
      // row: [url, title, 文号, date, type, issuer, validity, status, summary, attachment titles]
      var li = el("li", "", "search-hit");
      var link = el("a");
      link.href = "/" + row[0];
      link.appendChild(highlight(row[1], terms));
      li.appendChild(link);
      var labels = index.m.typeLabels;
      li.appendChild(badge(labels[row[4]] || row[4], "badge-muted"));
      if (row[7] === "withdrawn") { li.appendChild(badge("已撤回", "badge-warn")); }
      if (row[4] === "policy" && row[6]) { li.appendChild(badge(row[6], row[6] === "有效" ? "badge-open" : "badge-warn")); }
      var meta = el("span", "", "meta");
      if (row[2]) {
        var no = el("span", "", "doc-no");
        no.appendChild(highlight(row[2], terms));
        meta.appendChild(no);
      }
      meta.appendChild(el("span", row[5], "issuer"));
      var time = el("time", window.portalChineseDate(row[3]));
      time.setAttribute("datetime", row[3]);
      meta.appendChild(time);
      li.appendChild(meta);
      var snippet = el("p", "", "snippet");
      if (hit.att && !hit.body && !hit.t && row[9].length) {
        snippet.textContent = "在附件" + row[9].map(function (t) { return "“" + t + "”"; }).join("、") + "中找到检索词。";
      } else if (row[8]) {
        snippet.appendChild(highlight(row[8], terms));
      }
      li.appendChild(snippet);
      return li;
    }

    // For a hit found in the body text: a passage of the document's page around the words.
    function addSnippet(li, url, terms, query) {
      if (!snippetCache.has(url)) {
        snippetCache.set(url, fetch("/" + url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var body = doc.querySelector("article .body");
            return body ? body.textContent.replace(/\s+/g, " ").trim() : "";
          }).catch(function () { return ""; }));
      }
      snippetCache.get(url).then(function (text) {
        var passage = passageOf(text, terms, query);
        if (!passage) { return; }
        var p = li.querySelector(".snippet");
        p.textContent = "";
        p.appendChild(highlight(passage, terms));
      });
    }

    function passageOf(text, terms, query) {
      if (!text) { return ""; }
      var norm = tok.normalise(text), at = norm.indexOf(tok.normalise(query || "").trim());
      if (!query || at < 0) {
        var best = -1, bestCount = 0;
        terms.forEach(function (term) {
          var first = norm.indexOf(term);
          if (first < 0) { return; }
          var window = norm.slice(first, first + 60), n = 0;
          terms.forEach(function (t) { if (window.indexOf(t) >= 0) { n++; } });
          if (n > bestCount) { best = first; bestCount = n; }
        });
        at = best;
      }
      if (at < 0) { return ""; }
      var start = Math.max(0, at - 30);
      return (start > 0 ? "…" : "") + text.slice(start, start + 110) + (start + 110 < text.length ? "…" : "");
    }

    function showEmpty(s, result) {
      empty.textContent = "";
      var words = [s.q, s.title, s.doc_no].filter(Boolean).join(" ");
      empty.appendChild(el("p", words ? "没有找到与“" + words + "”相符的信息。" : "没有符合条件的信息。"));
      var tips = el("ul");
      function tip(text, href, label) {
        var li = el("li", text);
        if (href) {
          var a = el("a", label);
          a.href = href;
          li.appendChild(a);
        }
        tips.appendChild(li);
      }
      if (result && result.missing.length && words) {
        tip("本站信息中没有出现：" + result.missing.join("、") + "，请检查是否有错别字。");
      } else {
        tip("请检查是否有错别字，或改用更短、更常用的词语。");
      }
      var filtered = FILTERS.some(function (k) { return s[k]; });
      if (filtered) {
        tip("取消筛选条件后再试：", toQuery({ q: s.q, title: s.title, doc_no: s.doc_no, page: 1 }), "只按检索词检索");
      }
      var chars = Array.from(s.q || "");
      if (chars.length > 4) {
        var shorter = chars.slice(0, 4).join("");
        tip("只输入其中几个字，例如：", toQuery({ q: shorter, page: 1 }), shorter);
      }
      tip("发文字号可以写作“国办发〔2017〕47号”“国办发[2017]47号”或“国办发2017年47号”。");
      tip("也可以到", "/catalogue/", "政府信息公开目录");
      tips.lastChild.appendChild(document.createTextNode("按类型、发文机关、主题分类和年份查找。"));
      empty.appendChild(tips);
      empty.hidden = false;
    }

    function render(s, result, rows, started) {
      list.textContent = "";
      empty.hidden = true;
      var hits = result.hits, shown = Math.min(hits.length, s.page * PAGE);
      if (!hits.length) {
        count.textContent = "共 0 条结果";
        showEmpty(s, result);
      } else {
        count.textContent = "共 " + hits.length + " 条结果" + (result.partial ? "（没有同时包含全部检索词的信息，以下为部分匹配）" : "");
      }
      var terms = result.terms.concat([s.doc_no, s.q].filter(Boolean).map(function (x) { return tok.normalise(x).trim(); }));
      var query = s.q || s.title || "";
      rows.forEach(function (row, i) {
        var hit = hits[i], li = item(hit, row, terms);
        list.appendChild(li);
        if (i < SNIPPETS && hit.body && !hit.key && !hit.t) { addSnippet(li, row[0], terms, query); }
      });
      more.hidden = shown >= hits.length;
      stats.renders++;
      if (!stats.firstRenderAt && hits.length) { stats.firstRenderAt = performance.now(); }
      stats.last = { q: s.q, count: hits.length, ms: started ? performance.now() - started : null };
      list.setAttribute("data-rendered", String(stats.renders));
    }

    function run(s, started, measure) {
      var mine = ++sequence;
      state = s;
      if (!anything(s)) {
        list.textContent = "";
        count.textContent = "";
        empty.hidden = true;
        more.hidden = true;
        return Promise.resolve();
      }
      count.textContent = "正在检索…";
      return index.search(spec(s)).then(function (result) {
        if (mine !== sequence) { return null; }
        var ids = result.hits.slice(0, s.page * PAGE).map(function (h) { return h.id; });
        return index.docs(ids).then(function (rows) {
          if (mine !== sequence) { return; }
          render(s, result, rows, started);
          if (measure) {
            requestAnimationFrame(function () { stats.latencies.push(performance.now() - started); });
          }
        });
      }).catch(function (error) {
        if (mine !== sequence) { return; }
        count.textContent = "检索暂时不可用：" + error.message;
      });
    }

    function go(push) {
      var s = readForm();
      var url = toQuery(s);
      if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
      return s;
    }

    form.addEventListener("input", function (event) {
      if (TEXT_PARAMS.indexOf(event.target.name) < 0) { return; }
      var s = go(committed);
      committed = false;
      run(s, event.timeStamp || performance.now(), true);
    });
    form.addEventListener("change", function (event) {
      if (TEXT_PARAMS.indexOf(event.target.name) >= 0) { return; }
      committed = true;
      run(go(true), performance.now());
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var here = location.search || location.pathname;
      var s = go(committed && toQuery(readForm()) !== here);
      committed = true;
      run(s, performance.now());
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { committed = true; run(go(true), performance.now()); }, 0);
    });
    more.addEventListener("click", function () {
      var s = Object.assign({}, state, { page: state.page + 1 });
      history.replaceState(null, "", toQuery(s));
      run(s, performance.now());
    });
    window.addEventListener("popstate", function () {
      var s = readUrl();
      writeForm(s);
      committed = true;
      run(s, performance.now());
    });
    writeForm(state);
    run(state, performance.now());
  }

  function start() {
    var form = document.getElementById("search-form");
    if (form && tok && window.GovSearchIndex) { init(form); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
