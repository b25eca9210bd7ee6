/* kbgen: the search results page, search/?q=...
 *
 * The results come from Material's own search worker, through the message protocol Material
 * documents for custom workers (SETUP → READY, QUERY → RESULT), over the same search index: the
 * ranking is exactly the header search's. On a Zensical build, Zensical's worker and index. A search that finds nothing is sent to the team's
 * feedback target when one is set (loop.js); with none, nothing leaves the page.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-search-page");
  var materialConfig = document.getElementById("__config");
  if (!root || !materialConfig) return;
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3; // Material's SearchMessageType
  var PAGE_SIZE = 10;
  var SNIPPET = 220;

  var loop = window.kbgenLoop || { send: function () { return false; }, rememberSearch: function () {}, config: {} };
  var settings = JSON.parse(materialConfig.textContent);
  var say = window.kbgenText.text, sayCount = window.kbgenText.plural; // the page's strings, in the site's language (i18n.js)
  var base = new URL(settings.base, location.href);
  var form = root.querySelector("form");
  var input = document.getElementById("kb-search-page-query");
  var status = document.getElementById("kb-search-page-status");
  var list = document.getElementById("kb-search-page-results");
  var more = document.getElementById("kb-search-page-more");
  var help = document.getElementById("kb-search-help");
  var helpLink = document.getElementById("kb-search-help-link");
  var worker = null;
  var ready = null;
  var pending = [];
  var groups = [];
  var shown = 0;

  // The head script held q back from Material, which reads it when it starts (on DOMContentLoaded):
  // put it back in the address bar once Material has started.
  var initial = window.__kbgenSearchQuery;
  function restoreQuery() {
    var address = new URL(location.href);
    if (address.searchParams.has("q")) return;
    address.searchParams.set("q", initial);
    history.replaceState(history.state, "", address.href);
  }
  if (typeof initial === "string") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setTimeout(restoreQuery, 0); });
    else setTimeout(restoreQuery, 0);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The worker returns titles and text as HTML with <mark> around matches: keep only text and marks. */
  function highlighted(html, limit) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    var fragment = document.createDocumentFragment();
    var used = 0;
    (function walk(node, parent) {
      node.childNodes.forEach(function (child) {
        if (used >= limit) return;
        if (child.nodeType === Node.TEXT_NODE) {
          var text = child.textContent.slice(0, limit - used);
          used += text.length;
          parent.appendChild(document.createTextNode(text));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.tagName === "MARK") {
            var mark = document.createElement("mark");
            parent.appendChild(mark);
            walk(child, mark);
          } else if (!/^(SCRIPT|STYLE|TEMPLATE)$/.test(child.tagName)) {
            walk(child, parent);
          }
        }
      });
    })(template.content, fragment);
    if (used >= limit) fragment.appendChild(document.createTextNode("…"));
    return fragment;
  }

  function kindOf(location) {
    if (location.indexOf(root.dataset.threads) === 0) return say("thread");
    if (location.indexOf(root.dataset.articles) === 0) return say("article");
    return say("page");
  }

  function renderMore() {
    var fragment = document.createDocumentFragment();
    groups.slice(shown, shown + PAGE_SIZE).forEach(function (group, offset) {
      var page = group.find(function (item) { return item.location.indexOf("#") < 0; }) || group[0];
      var best = group[0];
      var item = make("li", "kb-search-result");
      var link = make("a", "kb-search-result__link");
      link.href = new URL(page.location, base).href;
      link.dataset.position = String(shown + offset);
      link.appendChild(highlighted(page.title, 200));
      item.appendChild(link);
      var meta = make("p", "kb-search-result__meta");
      meta.appendChild(make("span", "kb-badge", kindOf(page.location)));
      if (best !== page && best.location.indexOf("#") > 0) meta.appendChild(document.createTextNode(" " + say("section", { title: best.title.replace(/<[^>]*>/g, "") })));
      item.appendChild(meta);
      var text = best.text || page.text;
      if (text) {
        var snippet = make("p", "kb-search-result__text");
        snippet.appendChild(highlighted(text, SNIPPET));
        item.appendChild(snippet);
      }
      fragment.appendChild(item);
    });
    list.appendChild(fragment);
    shown = Math.min(groups.length, shown + PAGE_SIZE);
    more.hidden = shown >= groups.length;
  }

  function showResults(query, result) {
    groups = (result.items || []).filter(function (group) { return group.length; });
    shown = 0;
    list.replaceChildren();
    renderMore();
    status.textContent = groups.length ? sayCount("results", groups.length, { query: query }) : say("no_results", { query: query });
    if (help) {
      help.hidden = false;
      var url = new URL(helpLink.href, location.href);
      url.searchParams.set("search", query);
      helpLink.href = url.href;
    }
    if (!groups.length && loop.config.searches) loop.send({ type: "search", query: query.slice(0, 300), results: 0, where: "search" });
    root.dispatchEvent(new CustomEvent("kbgen:results", { detail: { query: query, count: groups.length } }));
  }

  /* Zensical's worker (kbgen build --engine zensical) speaks the same SETUP/READY/QUERY/RESULT types over its own
   * index (search.json, "items"); a result lists items by number, ten at a time: all pages are asked for in turn. */
  var zensical = null;
  var zensicalPages = {}; // location -> the page's own item
  var ZENSICAL_PAGES = 50; // at most 500 results, as many as a reader pages through
  function zensicalQuery(query, page) {
    var data = { input: query, filter: { input: { type: "operator", data: { operator: "and", operands: [] } }, aggregation: { input: [{ type: "term", data: { field: "tags" } }] } } };
    if (page) data.page = page;
    return { type: QUERY, data: data };
  }

  function loadIndex() {
    var engine = loop.config.index === "zensical"; // set by kbgen's site stage (kbgen.site.stage)
    return fetch(new URL(engine ? "search.json" : "search/search_index.json", base)).then(function (response) {
      if (!response.ok) throw new Error(say("search_index_answered", { status: response.status }));
      return response.json();
    }).then(function (index) {
      if (engine) {
        zensical = index.items;
        zensical.forEach(function (item) { if (item.location.indexOf("#") < 0) zensicalPages[item.location] = item; });
      }
      return index;
    });
  }

  function startWorker() {
    if (ready) return ready;
    ready = new Promise(function (resolve, reject) {
      worker = new Worker(new URL(settings.search, location.href));
      worker.addEventListener("message", function (event) {
        if (event.data.type === READY) resolve();
        else if (event.data.type === RESULT && pending.length) pending.shift()(event.data.data);
        else if (event.data.type === RESULT + 1 && pending.length) pending.shift()({ items: [] }); // Zensical's "failed"
      });
      worker.addEventListener("error", function () { reject(new Error("the search worker failed")); });
      loadIndex().then(function (index) {
        if (zensical) {
          worker.postMessage({ type: SETUP, data: index });
          return;
        }
        var features = settings.features || [];
        worker.postMessage({ type: SETUP, data: { config: index.config, docs: index.docs, options: { suggest: features.indexOf("search.suggest") >= 0 } } });
      }).catch(reject);
    });
    return ready;
  }

  function ask(message) {
    return new Promise(function (resolve) {
      pending.push(resolve);
      worker.postMessage(message);
    });
  }

  /* The result as Material's worker gives it: groups of {location, title, text}, best first. */
  function results(query) {
    if (!zensical) return ask({ type: QUERY, data: query });
    var items = [];
    function collect(result, asked) {
      items = items.concat(result.items || []);
      var next = result.pagination && result.pagination.next;
      if (next && asked < ZENSICAL_PAGES) return ask(zensicalQuery(query, next)).then(function (more) { return collect(more, asked + 1); });
      // Zensical lists sections one by one; Material groups them by page, the page itself first.
      var groups = [], byPage = {};
      items.forEach(function (item) {
        var found = zensical[item.id];
        if (!found) return;
        var location = found.location.split("#")[0];
        if (!byPage[location]) groups.push(byPage[location] = [zensicalPages[location] || found]);
        if (byPage[location][0] !== found) byPage[location].push(found);
      });
      return { items: groups };
    }
    return ask(zensicalQuery(query)).then(function (result) { return collect(result, 1); });
  }

  function search(query) {
    query = query.trim();
    if (!query) {
      status.textContent = say("type_something");
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    loop.rememberSearch(query);
    document.title = say("search_title", { query: query }) + " - " + document.title.split(" - ").slice(-1)[0];
    status.textContent = say("searching");
    startWorker().then(function () {
      return results(query);
    }).then(function (result) { showResults(query, result); }, function () {
      status.textContent = say("search_unavailable");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var address = new URL(location.href);
    address.searchParams.set("q", input.value.trim());
    history.pushState(null, "", address.href);
    search(input.value);
  });
  more.addEventListener("click", function () {
    var first = shown;
    renderMore();
    var next = list.querySelector('a[data-position="' + first + '"]');
    if (next) next.focus();
  });
  window.addEventListener("popstate", function () {
    input.value = new URL(location.href).searchParams.get("q") || "";
    search(input.value);
  });

  input.value = typeof initial === "string" ? initial : "";
  if (input.value.trim()) search(input.value);
  else input.focus();
})();
