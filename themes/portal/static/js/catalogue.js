// 政府信息公开目录: combined filtering (words + type + issuer + topic + year) over every disclosed document;
// ?q=words (a link or bookmark; the site's search box goes to /search/) filters at once.
// Without JavaScript the catalogue is a paged static list with one-dimension filter pages; this file
// only enhances the form (hidden without JS) and loads catalogue/data.json on the first use.
(function () {
  "use strict";
  var LIMIT = 200;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function badge(value, className) {
    return text("span", value, "badge " + className);
  }

  function row(doc, types) {
    var tr = document.createElement("tr");
    var title = document.createElement("td");
    title.className = "c-title";
    var link = text("a", doc.title);
    link.href = "/" + doc.url;
    title.appendChild(link);
    if (doc.status === "withdrawn") { title.appendChild(document.createTextNode(" ")); title.appendChild(badge("已撤回", "badge-warn")); }
    if (doc.type === "policy" && doc.validity && doc.validity !== "有效") {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(badge(doc.validity, "badge-warn"));
    }
    if (doc.doc_no) { title.appendChild(document.createTextNode(" ")); title.appendChild(text("span", doc.doc_no, "doc-no")); }
    tr.appendChild(title);
    tr.appendChild(text("td", doc.issuer, "c-issuer"));
    tr.appendChild(text("td", types[doc.type] || doc.type, "c-type"));
    var date = text("td", "", "c-date");
    var time = text("time", window.portalChineseDate(doc.date));
    time.setAttribute("datetime", doc.date);
    date.appendChild(time);
    tr.appendChild(date);
    return tr;
  }

  function matches(doc, want) {
    var words = want.q ? want.q.split(/\s+/) : [];
    for (var i = 0; i < words.length; i += 1) {
      if (words[i] && doc.title.indexOf(words[i]) < 0 && doc.doc_no.indexOf(words[i]) < 0) { return false; }
    }
    if (want.type && doc.type !== want.type) { return false; }
    if (want.issuer && doc.issuer !== want.issuer) { return false; }
    if (want.year && doc.date.slice(0, 4) !== want.year) { return false; }
    if (want.topic && doc.topic !== want.topic && doc.topic.indexOf(want.topic + "/") !== 0) { return false; }
    return true;
  }

  function init(form) {
    var table = document.querySelector("table.catalogue tbody");
    var pager = document.querySelector(".pager");
    var status = document.querySelector(".filter-status");
    if (!table || !status) { return; }
    var original = Array.prototype.slice.call(table.childNodes);
    var data = null;

    function load() {
      if (data) { return Promise.resolve(data); }
      return fetch(form.getAttribute("data-source"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (json) { data = json; return json; });
    }

    function show(want) {
      status.textContent = "正在筛选…";
      load().then(function (json) {
        var found = json.docs.filter(function (doc) { return matches(doc, want); });
        var rows = document.createDocumentFragment();
        found.slice(0, LIMIT).forEach(function (doc) { rows.appendChild(row(doc, json.types)); });
        if (!found.length) {
          var empty = document.createElement("tr");
          var cell = text("td", "没有符合条件的信息，请减少筛选条件。");
          cell.colSpan = 4;
          empty.appendChild(cell);
          rows.appendChild(empty);
        }
        table.replaceChildren(rows);
        if (pager) { pager.hidden = true; }
        status.textContent = "共找到 " + found.length + " 条" +
          (found.length > LIMIT ? "，显示最新的 " + LIMIT + " 条，请增加筛选条件" : "") + "。";
      }).catch(function () {
        status.textContent = "筛选数据暂时无法读取，请使用上方的分类链接查阅。";
      });
    }

    function submit() {
      var want = {};
      ["q", "type", "issuer", "topic", "year"].forEach(function (name) { want[name] = form.elements[name].value.trim(); });
      show(want);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    form.addEventListener("reset", function () {
      table.replaceChildren.apply(table, original);
      if (pager) { pager.hidden = false; }
      status.textContent = "";
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) {
      form.elements.q.value = q;
      submit();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.filter[data-source]");
    if (form && window.fetch && window.URLSearchParams && Element.prototype.replaceChildren) { init(form); }
  });
}());
