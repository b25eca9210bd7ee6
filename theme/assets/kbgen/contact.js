/* kbgen contact page: suggest answers while the customer types, then prepare their request to support.
 *
 * Ranking runs in the browser (contact-text.js, contact-index.js) over assets/kbgen/suggest.json (titles, question variants,
 * summaries, tags and a page's most telling body word, no page bodies), so suggestions keep working offline once the page has loaded.
 * Nothing the customer types leaves the browser until they press Send on the review step: state
 * between pages is kept in sessionStorage, and the pages read during the visit (recorded by
 * contact-history.js) are included only if the customer ticks the consent box.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-contact");
  var script = document.currentScript;
  if (!root || !script) return;

  // Text analysis (contact-text.js) and the suggestion index (contact-index.js) are loaded before this script.
  var analyse = window.KbgenContactText.analyse, stem = window.KbgenContactText.stem;
  var SuggestIndex = window.KbgenContactIndex.SuggestIndex, SLOT_LAST_VARIANT = window.KbgenContactIndex.SLOT_LAST_VARIANT;
  // The page's strings, in the site's language (i18n.js).
  var say = window.kbgenText.text, sayCount = window.kbgenText.plural;

  /* ---------- State kept between pages of this visit (sessionStorage, this tab only) ---------- */

  var STATE_KEY = "kbgen.contact";
  var HISTORY_KEY = "kbgen.history";

  function readStored(key, fallback) {
    try { return JSON.parse(sessionStorage.getItem(key)) || fallback; } catch (error) { return fallback; }
  }

  function writeStored(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* storage off: state lives in this page only */ }
  }

  var state = Object.assign({ problem: "", opened: [], step: "describe" }, readStored(STATE_KEY, {}));
  function saveState() { writeStored(STATE_KEY, state); }

  /* ---------- Page elements ---------- */

  function element(id) { return document.getElementById(id); }
  var form = element("kb-contact-form");
  var problem = element("kb-problem");
  var list = element("kb-suggestions");
  var status = element("kb-suggestions-status");
  var feedback = element("kb-feedback");
  var feedbackQuestion = element("kb-feedback-question");
  var answeredYes = element("kb-answered-yes");
  var steps = { details: element("kb-step-details"), review: element("kb-step-review"), thanks: element("kb-step-thanks") };
  var category = element("kb-category");
  var errors = element("kb-errors");
  var targetKind = root.dataset.targetKind;
  var target = root.dataset.target;
  var siteRoot = new URL("../../", script.src);
  var siteUrl = root.dataset.siteUrl ? new URL(root.dataset.siteUrl) : siteRoot;
  var index = null;
  var current = [];
  var lastAnnounced = "";

  /* Arriving from "Still need help?" (loop.js): the page the customer read, and their last search, come along. */
  function arrive() {
    var params = new URLSearchParams(location.search);
    var from = params.get("from");
    var search = (params.get("search") || "").trim().slice(0, 300);
    if (!from && !search) return;
    if (from) {
      var read = new URL(from, siteRoot);
      if (read.origin === siteRoot.origin && !/^[a-z][a-z0-9+.-]*:/i.test(from)) {
        var url = summaryUrl(from);
        state.opened = state.opened.filter(function (item) { return item.url !== url; });
        state.opened.push({
          url: url, path: from, title: (params.get("title") || from).slice(0, 200), kind: params.get("kind") === "thread" ? "thread" : "article",
          category: params.get("category") || "", source: "page",
        });
      }
    }
    if (search && !state.problem.trim()) state.problem = search;
    saveState();
    var address = new URL(location.href);
    ["from", "title", "kind", "category", "search"].forEach(function (name) { address.searchParams.delete(name); });
    history.replaceState(history.state, "", address.href);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---------- Step 1: suggestions as the customer types ---------- */

  var SUGGESTION_LIMIT = 6;

  function openedUrls() { return new Set(state.opened.map(function (item) { return item.url; })); }

  function renderSuggestions() {
    var started = performance.now();
    var query = problem.value;
    current = index && query.trim() ? index.search(query, SUGGESTION_LIMIT) : [];
    var opened = openedUrls();
    var fragment = document.createDocumentFragment();
    current.forEach(function (result, position) {
      var page = result.page;
      var item = make("li", "kb-suggestion");
      var link = make("a", "kb-suggestion__link", page.title);
      link.href = new URL(page.url, siteRoot).href;
      link.dataset.position = String(position);
      item.appendChild(link);
      var meta = make("p", "kb-suggestion__meta");
      meta.appendChild(make("span", "kb-badge", say(page.kind === "article" ? "article" : "thread")));
      if (page.solved) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(make("span", "kb-badge kb-badge--solved", say("solved"))); }
      if (opened.has(summaryUrl(page.url))) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(make("span", "kb-badge kb-badge--opened", say("opened"))); }
      meta.appendChild(document.createTextNode(" " + page.categoryTitle));
      item.appendChild(meta);
      if (result.slot >= 1 && result.slot <= SLOT_LAST_VARIANT && page.questions[result.slot - 1]) {
        item.appendChild(make("p", "kb-suggestion__variant", say("also_asked", { question: page.questions[result.slot - 1] })));
      }
      if (page.summary) item.appendChild(make("p", "kb-suggestion__summary", page.summary));
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    announce(query);
    renderFeedback();
    root.dispatchEvent(new CustomEvent("kbgen:suggestions", { detail: { query: query, count: current.length, milliseconds: performance.now() - started } }));
  }

  function announce(query) {
    var message = "";
    if (!index && query.trim()) message = say("loading");
    else if (query.trim() && current.length) message = sayCount("suggested", current.length);
    else if (query.trim().length >= 3) message = say("no_match");
    if (message !== lastAnnounced) { status.textContent = message; lastAnnounced = message; }
  }

  function renderFeedback() {
    var asked = problem.value.trim().length >= 3 || state.opened.length > 0;
    feedback.hidden = !asked || !steps.details.hidden;
    var lastOpened = state.opened[state.opened.length - 1];
    if (lastOpened) feedbackQuestion.textContent = say("did_page_answer", { title: lastOpened.title });
    else if (current.length) feedbackQuestion.textContent = say("did_one_answer");
    else feedbackQuestion.textContent = say("still_need_help");
    answeredYes.hidden = !lastOpened && !current.length;
  }

  function summaryUrl(url) { return new URL(url, siteUrl).href; }

  function rememberOpened(event) {
    var link = event.target.closest("a.kb-suggestion__link");
    if (!link) return;
    var page = current[Number(link.dataset.position)].page;
    var url = summaryUrl(page.url);
    state.opened = state.opened.filter(function (item) { return item.url !== url; });
    state.opened.push({ url: url, path: page.url, title: page.title, kind: page.kind, category: page.category });
    state.problem = problem.value;
    saveState();
  }

  /* ---------- Steps ---------- */

  function show(step, focus) {
    form.hidden = step === "review" || step === "thanks";
    Object.keys(steps).forEach(function (name) { steps[name].hidden = name !== step; });
    if (step === "details") prepareDetails();
    state.step = step === "thanks" ? "describe" : step;
    saveState();
    renderFeedback();
    var heading = { details: "kb-step-details-title", review: "kb-step-review-title", thanks: "kb-step-thanks-title" }[step];
    if (focus && heading) element(heading).focus();
  }

  function thank(title, text) {
    element("kb-step-thanks-title").textContent = title;
    element("kb-thanks-text").textContent = text;
    state = { problem: "", opened: [], step: "describe" };
    saveState();
    show("thanks", true);
  }

  function startOver() {
    form.reset();
    problem.value = "";
    state = { problem: "", opened: [], step: "describe" };
    saveState();
    show("describe", false);
    renderSuggestions();
    problem.focus();
  }

  /* ---------- Step 2: the form ---------- */

  function chooseCategory() {
    root.querySelectorAll(".kb-contact__category").forEach(function (fieldset) {
      var active = fieldset.dataset.category === category.value;
      fieldset.hidden = !active;
      fieldset.disabled = !active;
    });
  }

  function prepareDetails() {
    if (!category.value) {
      var guess = state.opened.length ? state.opened[0].category : current.length ? current[0].page.category : "";
      if (guess && category.querySelector('option[value="' + CSS.escape(guess) + '"]')) category.value = guess;
    }
    chooseCategory();
    var openedList = element("kb-opened");
    var unticked = new Set(Array.from(openedList.querySelectorAll("input:not(:checked)")).map(function (box) { return box.value; }));
    openedList.replaceChildren();
    state.opened.forEach(function (item, position) {
      var entry = make("li");
      var box = make("input");
      box.type = "checkbox";
      box.id = "kb-opened-" + position;
      box.value = item.url;
      box.checked = !unticked.has(item.url);
      var label = make("label", "", say("read_item", { title: item.title, kind: say(item.kind === "article" ? "kind_article" : "kind_thread") }));
      label.htmlFor = box.id;
      entry.append(box, " ", label);
      openedList.appendChild(entry);
    });
    element("kb-opened-empty").hidden = state.opened.length > 0;
    var opened = openedUrls();
    var visited = readStored(HISTORY_KEY, []).filter(function (item) { return !opened.has(item.url); });
    var visitedList = element("kb-history");
    visitedList.replaceChildren.apply(visitedList, visited.map(function (item) { return make("li", "", item.title + " — " + item.url); }));
    element("kb-history-count").textContent = sayCount("history_count", visited.length);
    element("kb-history-consent").hidden = visited.length === 0;
    element("kb-environment").textContent = say("environment_shared", { environment: environment() });
  }

  function environment() {
    var agent = navigator.userAgent;
    // Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
    var browser = [["Edge", /Edg\/(\d+)/], ["Opera", /OPR\/(\d+)/], ["Firefox", /Firefox\/(\d+)/], ["Chrome", /Chrom(?:e|ium)\/(\d+)/],
      ["Safari", /Version\/(\d+).*Safari/]].reduce(function (found, known) {
      var match = found ? null : agent.match(known[1]);
      return found || (match ? known[0] + " " + match[1] : "");
    }, "") || say("unknown_browser");
    var system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" :
      /Windows/.test(agent) ? "Windows" : /CrOS/.test(agent) ? "ChromeOS" : /Linux/.test(agent) ? "Linux" : say("unknown_system");
    return say("environment", { browser: browser, system: system, language: navigator.language, width: window.innerWidth, height: window.innerHeight });
  }

  /* ---------- Validation ---------- */

  function controlLabel(control) {
    var label = root.querySelector('label[for="' + control.id + '"]');
    return control.dataset.label || (label && label.firstChild ? label.firstChild.textContent.trim() : say("this_field"));
  }

  function setError(control, message) {
    var note = element(control.id + "-error");
    var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== note.id; });
    if (message) {
      control.setAttribute("aria-invalid", "true");
      note.textContent = message;
      note.hidden = false;
      described.push(note.id);
    } else {
      control.removeAttribute("aria-invalid");
      note.textContent = "";
      note.hidden = true;
    }
    if (described.length) control.setAttribute("aria-describedby", described.join(" "));
    else control.removeAttribute("aria-describedby");
  }

  function problemWith(control) {
    var value = control.value.trim();
    var label = controlLabel(control);
    // {field} is the label as written; {field_lower} starts lower-case, for languages that write it so in a sentence.
    var field = { field: label, field_lower: label.charAt(0).toLowerCase() + label.slice(1) };
    if (control.required && !value) {
      if (control === problem) return say("error_problem");
      if (control === category) return say("error_topic");
      if (control.id === "kb-description") return say("error_description");
      if (control.id === "kb-email") return say("error_email_required");
      return say(control.tagName === "SELECT" ? "error_choose" : "error_enter", field);
    }
    if (value && !control.checkValidity()) {
      if (control.type === "email") return say("error_email");
      if (control.type === "number") return say("error_number");
      return say("error_check", field);
    }
    return "";
  }

  function validate() {
    var controls = [problem].concat(Array.from(steps.details.querySelectorAll("input, select, textarea")).filter(function (control) {
      return !control.matches(":disabled") && control.type !== "checkbox" && control.id !== "" && element(control.id + "-error");
    }));
    var found = [];
    controls.forEach(function (control) {
      var message = problemWith(control);
      setError(control, message);
      if (message) found.push({ control: control, message: message });
    });
    errors.replaceChildren();
    errors.hidden = found.length === 0;
    if (found.length) {
      errors.appendChild(make("p", "kb-contact__errors-title", sayCount("errors_title", found.length)));
      var items = make("ul");
      found.forEach(function (problemFound) {
        var link = make("a", "", problemFound.message);
        link.href = "#" + problemFound.control.id;
        link.addEventListener("click", function (event) { event.preventDefault(); problemFound.control.focus(); });
        var item = make("li");
        item.appendChild(link);
        items.appendChild(item);
      });
      errors.appendChild(items);
      found[0].control.focus();
    }
    return found.length === 0;
  }

  /* ---------- The request: structured data, then text ---------- */

  function request() {
    var chosen = category.options[category.selectedIndex];
    var fieldset = root.querySelector('.kb-contact__category[data-category="' + CSS.escape(category.value) + '"]');
    var fields = fieldset ? Array.from(fieldset.querySelectorAll("[data-field]")).map(function (control) {
      return { id: control.dataset.field, label: control.dataset.label, value: control.value.trim() };
    }).filter(function (field) { return field.value; }) : [];
    var unticked = new Set(Array.from(element("kb-opened").querySelectorAll("input:not(:checked)")).map(function (box) { return box.value; }));
    var read = state.opened.filter(function (item) { return !unticked.has(item.url); }).map(function (item) {
      return { title: item.title, url: item.url, kind: item.kind, source: item.source || "suggestion" };
    });
    if (element("kb-consent-history").checked) {
      var opened = openedUrls();
      readStored(HISTORY_KEY, []).forEach(function (item) {
        if (!opened.has(item.url)) read.push({ title: item.title, url: item.url, kind: "page", source: "visit" });
      });
    }
    var email = element("kb-email");
    var problemText = problem.value.trim();
    return {
      subject: "[" + chosen.text + "] " + (problemText.split("\n")[0].length > 90 ? problemText.split("\n")[0].slice(0, 89) + "…" : problemText.split("\n")[0]),
      problem: problemText,
      category: category.value,
      category_title: chosen.text,
      fields: fields,
      read: read,
      tried: element("kb-tried").value.trim(),
      description: element("kb-description").value.trim(),
      email: email ? email.value.trim() : "",
      environment: element("kb-consent-environment").checked ? environment() : "",
    };
  }

  function requestText(data) {
    var lines = [say("request_problem", { value: data.problem }), say("request_topic", { value: data.category_title })];
    data.fields.forEach(function (field) { lines.push(field.label + ": " + field.value); });
    if (data.email) lines.push(say("request_reply_to", { value: data.email }));
    lines.push("", say("request_read"));
    if (!data.read.length) lines.push(say("request_read_none"));
    data.read.forEach(function (item) {
      var kind = item.kind === "article" ? "article" : "thread";
      var how = item.source === "suggestion" ? say("request_from_suggestion_" + kind)
        : item.source === "page" ? say("request_from_page_" + kind)
        : say("request_from_visit");
      lines.push("- " + item.title + " (" + how + "): " + item.url);
    });
    lines.push("", say("request_tried"), data.tried || say("request_tried_none"));
    lines.push("", say("request_happens"), data.description);
    if (data.environment) lines.push("", say("request_environment", { value: data.environment }));
    return lines.join("\n");
  }

  var prepared = null;

  function review() {
    if (!validate()) return;
    var data = request();
    var text = requestText(data);
    prepared = { data: data, text: text };
    element("kb-summary").textContent = text;
    var mail = element("kb-send-mail");
    var send = element("kb-send");
    mail.hidden = targetKind !== "mailto";
    send.hidden = targetKind === "mailto";
    element("kb-copy").hidden = targetKind === "clipboard";
    if (targetKind === "mailto") {
      mail.href = "mailto:" + target + "?subject=" + encodeURIComponent(data.subject) + "&body=" + encodeURIComponent(text.replace(/\n/g, "\r\n"));
    }
    send.textContent = say(targetKind === "clipboard" ? "copy_request" : "send_request");
    element("kb-send-status").textContent = "";
    show("review", true);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var summary = element("kb-summary");
    var range = document.createRange();
    range.selectNodeContents(summary);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = document.execCommand("copy");
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy() {
    var sendStatus = element("kb-send-status");
    copyText(prepared.text).then(function () {
      sendStatus.textContent = say(targetKind === "clipboard" ? "copied_clipboard" : "copied");
    }, function () {
      sendStatus.textContent = say("copy_refused");
    });
  }

  function post() {
    var send = element("kb-send");
    var sendStatus = element("kb-send-status");
    var data = Object.assign({}, prepared.data, { summary: prepared.text });
    var body, headers;
    if (root.dataset.encoding === "form") {
      body = new URLSearchParams();
      Object.keys(data).forEach(function (key) {
        if (key === "fields") data.fields.forEach(function (field) { body.append("field." + field.id, field.value); });
        else if (key === "read") body.append("read", data.read.map(function (item) { return item.title + ": " + item.url; }).join("\n"));
        else body.append(key, data[key]);
      });
      headers = { "Content-Type": "application/x-www-form-urlencoded" };
    } else {
      body = JSON.stringify(data);
      headers = { "Content-Type": "application/json" };
    }
    send.disabled = true;
    sendStatus.textContent = say("sending");
    fetch(target, { method: "POST", headers: headers, body: body, credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error(say("server_answered", { status: response.status }));
      thank(say("sent_title"), say("sent_text", { email: data.email }));
    }).catch(function (error) {
      sendStatus.textContent = say("send_failed", { error: error.message });
    }).finally(function () { send.disabled = false; });
  }

  /* ---------- Wiring ---------- */

  problem.addEventListener("input", function () {
    state.problem = problem.value;
    saveState();
    renderSuggestions();
  });
  list.addEventListener("click", rememberOpened);
  list.addEventListener("auxclick", rememberOpened);
  answeredYes.addEventListener("click", function () {
    // loop.js reports which suggestion answered (only when the team set a feedback target).
    var answered = state.opened[state.opened.length - 1] || (current[0] && { path: current[0].page.url, title: current[0].page.title });
    root.dispatchEvent(new CustomEvent("kbgen:answered", { detail: { query: problem.value.trim(), page: answered ? answered.path || "" : "", title: answered ? answered.title : "" } }));
    thank(say("glad_title"), say("glad_text"));
  });
  element("kb-answered-no").addEventListener("click", function () { show("details", true); });
  category.addEventListener("change", chooseCategory);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!steps.details.hidden) review();
  });
  form.addEventListener("input", function (event) {
    if (event.target.getAttribute("aria-invalid") === "true" && !problemWith(event.target)) setError(event.target, "");
  });
  form.addEventListener("change", function (event) {
    if (event.target.getAttribute("aria-invalid") === "true" && !problemWith(event.target)) setError(event.target, "");
  });
  element("kb-edit").addEventListener("click", function () { show("details", true); });
  element("kb-copy").addEventListener("click", copy);
  element("kb-send").addEventListener("click", function () { if (targetKind === "clipboard") copy(); else post(); });
  element("kb-send-mail").addEventListener("click", function () {
    element("kb-send-status").textContent = say("mail_opening", { address: target });
  });
  element("kb-start-over").addEventListener("click", startOver);
  window.addEventListener("pageshow", function (event) { if (event.persisted) renderSuggestions(); });

  window.kbgenContact = { analyse: analyse, stem: stem, index: null };
  arrive();
  problem.value = state.problem;
  if (state.step === "details" || state.step === "review") show("details", false);

  var loadStarted = performance.now();
  fetch(new URL("suggest.json", script.src)).then(function (response) {
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }).then(function (data) {
    var loaded = performance.now();
    index = new SuggestIndex(data);
    window.kbgenContact.index = index;
    window.kbgenContact.timing = { loadMilliseconds: loaded - loadStarted, indexMilliseconds: performance.now() - loaded };
    renderSuggestions();
  }).catch(function () {
    status.textContent = say("suggestions_unavailable");
    renderFeedback();
  });

  renderFeedback();
})();
