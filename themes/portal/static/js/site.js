// 大字版 and 高对比度: toggles that persist across pages (localStorage), no pop-ups.
// Loaded in <head> without defer so the modes apply before the first paint (no flash, no layout shift);
// everything that touches the page waits for DOMContentLoaded.
(function () {
  "use strict";
  var root = document.documentElement;
  var modes = ["large-text", "high-contrast"];
  function stored(mode) {
    try { return window.localStorage.getItem("portal:" + mode) === "1"; } catch (e) { return false; }
  }
  function apply(mode, on) {
    root.classList.toggle(mode, on);
    var button = document.querySelector('[data-toggle="' + mode + '"]');
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  // 2024-03-05 → 2024年3月5日: dates on pages in the Chinese form; data and datetime attributes keep ISO.
  window.portalChineseDate = function (iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : (iso || "");
  };
  root.classList.add("js");
  modes.forEach(function (mode) { if (stored(mode)) { root.classList.add(mode); } });
  document.addEventListener("DOMContentLoaded", function () {
    modes.forEach(function (mode) {
      apply(mode, stored(mode));
      var button = document.querySelector('[data-toggle="' + mode + '"]');
      if (!button) { return; }
      button.addEventListener("click", function () {
        var on = !root.classList.contains(mode);
        apply(mode, on);
        try { window.localStorage.setItem("portal:" + mode, on ? "1" : "0"); } catch (e) { /* private mode */ }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-action="print"]'), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
}());
