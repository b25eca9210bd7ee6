/* kbgen: the feedback loop on every page.
 *
 * - "Was this helpful?" at the end of articles and threads (shown only when a feedback target is set);
 * - "Still need help?" links to the contact page with the page read and the customer's last search;
 * - Enter in the header search opens the search results page instead of the first hit;
 * - on the contact page, a link to the results page when nothing matched, and the events of its flow.
 *
 * Events (kbgen.events, documented in the README) are sent only to the team's target, set in
 * mkdocs.yml; with no target nothing is sent, and nothing ever goes to a third party from here.
 * The last search is remembered in sessionStorage (this tab only) so "Still need help?" can pass it on.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("kbgen-loop");
  if (!configElement) return;
  var config = JSON.parse(configElement.textContent);
  var say = window.kbgenText.text; // the page's strings, in the site's language (i18n.js)
  var SEARCH_KEY = "kbgen.search";
  var VOTES_KEY = "kbgen.votes";

  function readStored(key, fallback) {
    try { return JSON.parse(sessionStorage.getItem(key)) || fallback; } catch (error) { return fallback; }
  }

  function writeStored(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* storage off: nothing remembered */ }
  }

  /* ---------- Sending events: to the configured target only ---------- */

  function send(event) {
    if (config.kind === "off") return false;
    var data = Object.assign({ kbgen_event: 1 }, event);
    document.dispatchEvent(new CustomEvent("kbgen:event", { detail: data }));
    if (config.kind === "post") {
      fetch(config.target, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
        credentials: "omit", keepalive: true, mode: "cors",
      }).catch(function () { /* a lost event is not worth bothering the customer with */ });
    } else if (config.kind === "analytics") {
      // The gtag() convention Material's analytics integration uses: dataLayer takes the arguments object.
      var push = function () { (window.dataLayer = window.dataLayer || []).push(arguments); };
      var name = data.type === "vote" ? "feedback" : "kbgen_" + data.type;
      var fields = Object.assign({}, data, data.type === "vote" ? { page: "/" + data.page, data: data.helpful ? 1 : 0 } : {});
      push("event", name, fields);
    }
    return true;
  }

  window.kbgenLoop = { send: send, config: config };

  function rememberSearch(query) {
    query = (query || "").trim();
    if (query) writeStored(SEARCH_KEY, { query: query.slice(0, 300) });
  }

  function lastSearch() { return readStored(SEARCH_KEY, {}).query || ""; }

  function searchPageUrl(query) {
    return config.search + "?q=" + encodeURIComponent(query);
  }

  window.kbgenLoop.rememberSearch = rememberSearch;
  window.kbgenLoop.searchPageUrl = searchPageUrl;

  /* ---------- Header search: Enter shows the results page ---------- */

  function enhanceHeaderSearch() {
    var query = document.querySelector("[data-md-component=search-query]");
    if (!query) return;
    if (config.search) {
      // On the input itself, before Material's window-wide handler (which would open the first hit).
      query.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.isComposing || !query.value.trim()) return;
        event.preventDefault();
        event.stopPropagation();
        rememberSearch(query.value);
        location.href = searchPageUrl(query.value.trim());
      });
    }
    var results = document.querySelector("[data-md-component=search-result]");
    if (results) {
      results.addEventListener("click", function (event) {
        if (event.target.closest("a")) rememberSearch(query.value);
      });
    }
  }

  /* ---------- "Was this helpful?" ---------- */

  function enhanceVote() {
    var form = document.getElementById("kb-vote");
    if (!form || !config.votes) return;
    var page = form.dataset.page;
    var ask = document.getElementById("kb-vote-ask");
    var reason = document.getElementById("kb-vote-reason");
    var thanks = document.getElementById("kb-vote-thanks");
    var votes = readStored(VOTES_KEY, {});

    function done(text, focus) {
      ask.hidden = true;
      reason.hidden = true;
      thanks.textContent = text;
      thanks.hidden = false;
      if (focus) thanks.focus();
    }

    function vote(helpful, why, comment) {
      var event = { type: "vote", page: page, title: form.dataset.title, helpful: helpful };
      if (!helpful) { event.reason = why || ""; event.comment = (comment || "").trim().slice(0, 500); }
      var query = lastSearch();
      if (query) event.query = query;
      send(event);
      votes[page] = helpful ? "yes" : "no";
      writeStored(VOTES_KEY, votes);
    }

    form.hidden = false;
    if (votes[page]) {
      done(say(votes[page] === "yes" ? "vote_remembered_yes" : "vote_remembered_no"), false);
      return;
    }
    document.getElementById("kb-vote-yes").addEventListener("click", function () {
      vote(true);
      done(say("vote_thanks_yes"), true);
    });
    document.getElementById("kb-vote-no").addEventListener("click", function () {
      ask.hidden = true;
      reason.hidden = false;
      document.getElementById("kb-vote-reason-title").focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=reason]:checked");
      vote(false, chosen ? chosen.value : "", document.getElementById("kb-vote-comment").value);
      done(say("vote_thanks_no") + (config.contact ? " " + say("vote_thanks_contact") : ""), true);
    });
  }

  /* ---------- "Still need help?": carry the last search along ---------- */

  function enhanceContactLinks() {
    var query = lastSearch();
    if (!query) return;
    document.querySelectorAll("a[data-kb-contact]").forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("search", query); // not "q": Material would open its search dialog for that
      link.href = url.href;
    });
  }

  /* ---------- The contact page: link to the results page, and the flow's events ---------- */

  function enhanceContactPage() {
    var root = document.getElementById("kb-contact");
    if (!root) return;
    var last = { query: "", count: 0 };
    var searchAll = document.getElementById("kb-search-all");
    root.addEventListener("kbgen:suggestions", function (event) {
      last = event.detail;
      if (!searchAll) return;
      var query = last.query.trim();
      searchAll.hidden = !(query.length >= 3 && last.count === 0);
      if (!searchAll.hidden) {
        document.getElementById("kb-search-all-link").href = searchPageUrl(query);
        document.getElementById("kb-search-all-query").textContent = query.length > 60 ? query.slice(0, 59) + "…" : query;
      }
    });
    if (!config.searches) return;
    root.addEventListener("kbgen:answered", function (event) {
      if (event.detail.page) send({ type: "answered", query: event.detail.query.slice(0, 300), page: event.detail.page, title: event.detail.title || "" });
    });
    var declined = document.getElementById("kb-answered-no");
    if (declined) {
      declined.addEventListener("click", function () {
        var query = last.query.trim();
        if (query && last.count === 0) send({ type: "search", query: query.slice(0, 300), results: 0, where: "contact" });
      });
    }
  }

  enhanceHeaderSearch();
  enhanceVote();
  enhanceContactLinks();
  enhanceContactPage();
})();
