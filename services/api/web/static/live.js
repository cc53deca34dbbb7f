// Live list: when an article is enriched (GET /events), ask the server for this same page again
// and put the articles it did not show before at the top. The server decides what matches, so
// the filters need no second implementation here; without JavaScript the page is simply static.
(function () {
  "use strict";
  var section = document.querySelector("[data-live]");
  if (!section || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var added = 0;

  function ids(root) {
    var seen = {};
    root.querySelectorAll("ul.results > li[data-id]").forEach(function (li) {
      seen[li.dataset.id] = li;
    });
    return seen;
  }

  function merge(fresh) {
    var list = section.querySelector("ul.results");
    var freshList = fresh.querySelector("ul.results");
    if (!freshList) { return; }
    if (!list) {  // the page was empty: take the new one whole
      section.innerHTML = fresh.innerHTML;
      added += freshList.children.length;
      return;
    }
    // The count and the download links follow the new articles.
    var head = section.querySelector(".results-head");
    var freshHead = fresh.querySelector(".results-head");
    if (head && freshHead) { head.replaceWith(document.importNode(freshHead, true)); }
    var shown = ids(section);
    var anchor = list.firstElementChild;
    Array.prototype.slice.call(freshList.children).forEach(function (li) {
      var old = shown[li.dataset.id];
      var copy = document.importNode(li, true);
      if (old) {
        if (old.innerHTML !== li.innerHTML && !old.contains(document.activeElement)) {
          list.replaceChild(copy, old);
        }
        return;
      }
      copy.classList.add("new");
      list.insertBefore(copy, anchor);
      added += 1;
    });
  }

  function refresh() {
    fetch(window.location.href, { headers: { Accept: "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : ""; })
      .then(function (html) {
        if (!html) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("results");
        if (fresh) { merge(fresh); }
        var status = document.getElementById("live-status");
        if (added && status) {
          status.textContent =
            added + " new article" + (added === 1 ? "" : "s") + " since you opened this page.";
        }
      })
      .catch(function () { /* the next event tries again */ });
  }

  var events = new EventSource(section.dataset.live);
  events.addEventListener("ready", function () { section.dataset.liveReady = "1"; });
  // At most one reload of the page a second, however fast articles arrive.
  events.addEventListener("article", function () {
    if (timer) { return; }
    timer = setTimeout(function () { timer = null; refresh(); }, 1000);
  });
})();
