/* kbgen: remember which help-center pages were read during this visit, for the contact page.
 *
 * Recorded before any consent is asked because nothing leaves the browser: the list lives in
 * sessionStorage (this tab only, gone when it closes), is never sent by this script, and the
 * contact page includes it in a request only when the customer ticks a box and presses Send.
 */
(function () {
  "use strict";
  var KEY = "kbgen.history";
  var LIMIT = 30;

  function pageTitle() {
    var heading = document.querySelector(".md-content h1");
    if (!heading) return document.title;
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.trim() || document.title;
  }

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    return (canonical && canonical.href) || location.href.split("#")[0];
  }

  function record() {
    // The contact page itself, and error pages, are not "read".
    if (document.getElementById("kb-contact") || !document.querySelector(".md-content h1")) return;
    try {
      var url = pageUrl();
      var list = JSON.parse(sessionStorage.getItem(KEY) || "[]").filter(function (entry) { return entry.url !== url; });
      list.push({ url: url, path: location.pathname, title: pageTitle() });
      sessionStorage.setItem(KEY, JSON.stringify(list.slice(-LIMIT)));
    } catch (error) {
      // Storage disabled or full: the contact page simply has no history to offer.
    }
  }

  record();
  // Material's instant navigation swaps pages without reloading scripts; it announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(record);
})();
