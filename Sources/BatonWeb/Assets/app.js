// Baton: small enhancements; every page works without them.
(function () {
  "use strict";
  // Agency picker: suggestions by name, with or without diacritics, into the shared datalist.
  var list = document.getElementById("agency-list");
  var timer = null;
  document.querySelectorAll("[data-agency-picker]").forEach(function (input) {
    input.addEventListener("input", function () {
      var raw = input.value.split(",").pop().trim();
      if (!list || raw.length < 2 || raw.indexOf(" — ") > 0) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/agencies/search?q=" + encodeURIComponent(raw), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = "";
            items.forEach(function (a) {
              var o = document.createElement("option");
              o.value = a.code + " — " + a.name;
              list.appendChild(o);
            });
          }).catch(function () {});
      }, 200);
    });
  });
  // Live board: reload the rows when the server says something changed.
  var live = document.querySelector("[data-live]");
  if (live && window.EventSource) {
    var source = new EventSource(live.getAttribute("data-live"));
    source.addEventListener("ready", function () { live.hidden = false; });
    source.addEventListener("change", function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          ["board-rows", "as-of"].forEach(function (id) {
            var fresh = doc.getElementById(id), old = document.getElementById(id);
            if (fresh && old) old.replaceWith(fresh);
          });
        }).catch(function () {});
    });
    source.onerror = function () { live.hidden = true; };
  }
  document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
})();
