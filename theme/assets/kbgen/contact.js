/* kbgen contact page: suggest answers while the customer types, then prepare their request to support.
 *
 * Ranking runs here, in the browser, over assets/kbgen/suggest.json (titles, question variants,
 * summaries, tags: no page bodies), so suggestions keep working offline once the page has loaded.
 * Nothing the customer types leaves the browser until they press Send on the review step: state
 * between pages is kept in sessionStorage, and the pages read during the visit (recorded by
 * contact-history.js) are included only if the customer ticks the consent box.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-contact");
  var script = document.currentScript;
  if (!root || !script) return;

  /* ---------- Text analysis: the same for the index and the query ---------- */

  var STOP_WORDS = new Set((
    "a an and are as at be been but by can cant could did didnt do does doesnt dont for from get gets got had has " +
    "have hello help hi how i if im in into is isnt it its ive me my no not of on or our please should so than thank " +
    "thanks that the their them then there these they this to too was wasnt we were what when where which who why " +
    "will with wont would you your"
  ).split(" "));
  var MIN_PREFIX = 3;

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['’]/g, "");
  }

  /* Light English stemming: enough that "invoices", "invoiced" and "invoicing" meet at "invoic". */
  function stem(word) {
    if (word.length <= 3 || /\d/.test(word)) return word;
    if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
    else if (word.endsWith("sses")) word = word.slice(0, -2);
    else if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    if (word.endsWith("ing") && word.length > 5) word = word.slice(0, -3);
    else if (word.endsWith("ed") && word.length > 4) word = word.slice(0, -2);
    else if (word.endsWith("ly") && word.length > 5) word = word.slice(0, -2);
    if (/([b-df-hj-np-tv-z])\1$/.test(word) && !/(ll|ss|zz)$/.test(word)) word = word.slice(0, -1);
    if (word.endsWith("e") && word.length > 4) word = word.slice(0, -1);
    if (word.endsWith("y") && word.length > 3) word = word.slice(0, -1) + "i";
    return word;
  }

  /* The words of a text: "e-mail" gives "e", "mail" and, for the index only, "email", so that
   * customers who type "email" or "e-mail" both find it. Single letters are dropped. */
  function words(text, forIndex) {
    var found = [];
    (normalise(text).match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) || []).forEach(function (compound) {
      var parts = compound.split("-");
      parts.forEach(function (part) { if (part.length > 1 || /\d/.test(part)) found.push(part); });
      if (forIndex && parts.length > 1) found.push(parts.join(""));
    });
    return found;
  }

  /* The query's words as {word, term}; the last one is flagged when it may still be being typed. */
  function analyse(text) {
    var queryWords = words(text, false);
    var typing = /[a-z0-9]$/i.test(text);
    var found = [];
    queryWords.forEach(function (word, position) {
      var last = typing && position === queryWords.length - 1;
      if (STOP_WORDS.has(word) && !last) return;
      if (STOP_WORDS.has(word) && word.length < MIN_PREFIX) return;
      found.push({ word: word, term: stem(word), typing: last });
    });
    return found;
  }

  /* ---------- The suggestion index: an inverted index over short fields ---------- */

  // Each page's fields are "slots": a query word found in the title or one question variant counts
  // more than in the summary, and words found together in one variant count more than spread out.
  var SLOT_TITLE = 0, SLOT_LAST_VARIANT = 24, SLOT_SUMMARY = 25, SLOT_TAGS = 26, SLOT_CATEGORY = 27, SLOT_BITS = 5;
  var SLOT_WEIGHTS = new Float64Array(32);
  SLOT_WEIGHTS.fill(0.95, 1, SLOT_LAST_VARIANT + 1);
  SLOT_WEIGHTS[SLOT_TITLE] = 1;
  SLOT_WEIGHTS[SLOT_SUMMARY] = 0.45;
  SLOT_WEIGHTS[SLOT_TAGS] = 0.7;
  SLOT_WEIGHTS[SLOT_CATEGORY] = 0.35;
  var PREFIX_QUALITY_TYPING = 0.75, PREFIX_QUALITY = 0.4, MAX_EXPANSIONS = 200;
  var TOGETHER_BONUS = 0.6, KEEP_RATIO = 0.3;

  function SuggestIndex(data) {
    var column = {};
    data.fields.forEach(function (name, position) { column[name] = position; });
    var categoryTitles = data.categories.map(function (category) { return category.title; });
    this.categories = data.categories;
    this.pages = data.pages.map(function (row) {
      return {
        kind: row[column.kind], category: (data.categories[row[column.category]] || {}).slug || "",
        categoryTitle: categoryTitles[row[column.category]] || "", url: row[column.url], title: row[column.title],
        questions: row[column.questions] || [], summary: row[column.summary] || "", tags: row[column.tags] || [],
        popularity: row[column.popularity] || 0, solved: !!row[column.solved],
      };
    });
    var postings = new Map();
    var lastDocument = new Map();
    var frequency = new Map();
    function add(text, documentNumber, slot) {
      var seen = new Set();
      words(text, true).forEach(function (word) {
        if (STOP_WORDS.has(word)) return;
        var term = stem(word);
        if (seen.has(term)) return;
        seen.add(term);
        var list = postings.get(term);
        if (!list) { list = []; postings.set(term, list); }
        list.push((documentNumber << SLOT_BITS) | slot);
        if (lastDocument.get(term) !== documentNumber) {
          lastDocument.set(term, documentNumber);
          frequency.set(term, (frequency.get(term) || 0) + 1);
        }
      });
    }
    this.pages.forEach(function (page, number) {
      add(page.title, number, SLOT_TITLE);
      page.questions.forEach(function (question, variant) { add(question, number, Math.min(1 + variant, SLOT_LAST_VARIANT)); });
      add(page.summary, number, SLOT_SUMMARY);
      add(page.tags.join(" "), number, SLOT_TAGS);
      add(page.categoryTitle, number, SLOT_CATEGORY);
    });
    var count = this.pages.length;
    this.terms = Array.from(postings.keys()).sort();
    this.postings = new Map();
    this.weights = new Map();
    this.terms.forEach(function (term) {
      var documents = frequency.get(term);
      this.postings.set(term, Int32Array.from(postings.get(term)));
      this.weights.set(term, Math.log(1 + (count - documents + 0.5) / (documents + 0.5)));
    }, this);
    // Scratch space reused by every query: typed arrays, so a keystroke allocates almost nothing.
    this.total = new Float64Array(count);
    this.tokenBest = new Float64Array(count);
    this.matched = new Uint8Array(count);
    this.bestTogether = new Float64Array(count);
    this.bestSlot = new Int8Array(count);
    this.slotScore = new Float64Array(count << SLOT_BITS);
    this.slotToken = new Int16Array(count << SLOT_BITS);
  }

  /* Vocabulary terms a query word may stand for, with how much each counts. */
  SuggestIndex.prototype.expand = function (token) {
    var found = [];
    if (this.postings.has(token.term)) found.push([token.term, 1]);
    var stems = token.typing ? [token.term, token.word] : [token.term];
    var quality = token.typing ? PREFIX_QUALITY_TYPING : PREFIX_QUALITY;
    var seen = new Set([token.term]);
    stems.forEach(function (prefix) {
      if (prefix.length < MIN_PREFIX) return;
      var low = 0, high = this.terms.length;
      while (low < high) {
        var middle = (low + high) >> 1;
        if (this.terms[middle] < prefix) low = middle + 1; else high = middle;
      }
      for (var position = low; position < this.terms.length && found.length < MAX_EXPANSIONS; position += 1) {
        var term = this.terms[position];
        if (!term.startsWith(prefix)) break;
        if (!seen.has(term)) { seen.add(term); found.push([term, quality]); }
      }
    }, this);
    if (token.typing) {
      // A half-typed word longer than its stem ("chargi" for "charg") still means that stem.
      for (var length = token.word.length - 1; length >= Math.max(4, token.word.length - 3); length -= 1) {
        var shorter = token.word.slice(0, length);
        if (!seen.has(shorter) && this.postings.has(shorter)) { seen.add(shorter); found.push([shorter, quality]); }
      }
    }
    return found;
  };

  /* The best pages for ``query``: [{page, score, slot}], best first. */
  SuggestIndex.prototype.search = function (query, limit) {
    var unique = new Map();
    analyse(query).forEach(function (token) {
      var known = unique.get(token.term);
      if (!known || token.typing) unique.set(token.term, token);
    });
    var tokens = Array.from(unique.values());
    if (!tokens.length) return [];
    var total = this.total, tokenBest = this.tokenBest, matched = this.matched;
    var slotScore = this.slotScore, slotToken = this.slotToken;
    var touched = [], slotsTouched = [];
    tokens.forEach(function (token, tokenNumber) {
      var tokenTouched = [];
      this.expand(token).forEach(function (expansion) {
        var weight = this.weights.get(expansion[0]) * expansion[1];
        var list = this.postings.get(expansion[0]);
        for (var position = 0; position < list.length; position += 1) {
          var packed = list[position];
          var documentNumber = packed >> SLOT_BITS;
          var contribution = weight * SLOT_WEIGHTS[packed & 31];
          if (contribution > tokenBest[documentNumber]) {
            if (tokenBest[documentNumber] === 0) tokenTouched.push(documentNumber);
            tokenBest[documentNumber] = contribution;
          }
          if (slotToken[packed] !== tokenNumber + 1) {
            if (slotToken[packed] === 0) slotsTouched.push(packed);
            slotToken[packed] = tokenNumber + 1;
            slotScore[packed] += weight;
          }
        }
      }, this);
      tokenTouched.forEach(function (documentNumber) {
        if (matched[documentNumber] === 0) touched.push(documentNumber);
        matched[documentNumber] += 1;
        total[documentNumber] += tokenBest[documentNumber];
        tokenBest[documentNumber] = 0;
      });
    }, this);
    var bestTogether = this.bestTogether, bestSlot = this.bestSlot;
    slotsTouched.forEach(function (packed) {
      var documentNumber = packed >> SLOT_BITS;
      var value = slotScore[packed] * SLOT_WEIGHTS[packed & 31];
      if (value > bestTogether[documentNumber]) { bestTogether[documentNumber] = value; bestSlot[documentNumber] = packed & 31; }
      slotScore[packed] = 0;
      slotToken[packed] = 0;
    });
    var results = touched.map(function (documentNumber) {
      var page = this.pages[documentNumber];
      var coverage = matched[documentNumber] / tokens.length;
      var score = (total[documentNumber] + TOGETHER_BONUS * bestTogether[documentNumber]) * Math.pow(coverage, 1.5);
      score *= 1 + 0.05 * Math.log10(1 + Math.max(0, page.popularity));
      var result = { page: page, score: score, slot: bestSlot[documentNumber], coverage: coverage };
      total[documentNumber] = 0;
      matched[documentNumber] = 0;
      bestTogether[documentNumber] = 0;
      bestSlot[documentNumber] = 0;
      return result;
    }, this);
    results.sort(function (first, second) {
      if (second.score !== first.score) return second.score - first.score;
      if (first.page.kind !== second.page.kind) return first.page.kind === "article" ? -1 : 1;
      return first.page.url < second.page.url ? -1 : 1;
    });
    var top = results.length ? results[0].score : 0;
    return results.filter(function (result) { return result.score >= KEEP_RATIO * top; }).slice(0, limit);
  };

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
    var search = (params.get("q") || "").trim().slice(0, 300);
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
    ["from", "title", "kind", "category", "q"].forEach(function (name) { address.searchParams.delete(name); });
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
      meta.appendChild(make("span", "kb-badge", page.kind === "article" ? "Article" : "Community thread"));
      if (page.solved) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(make("span", "kb-badge kb-badge--solved", "Solved")); }
      if (opened.has(summaryUrl(page.url))) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(make("span", "kb-badge kb-badge--opened", "Opened")); }
      meta.appendChild(document.createTextNode(" " + page.categoryTitle));
      item.appendChild(meta);
      if (result.slot >= 1 && result.slot <= SLOT_LAST_VARIANT && page.questions[result.slot - 1]) {
        item.appendChild(make("p", "kb-suggestion__variant", "Also asked as: “" + page.questions[result.slot - 1] + "”"));
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
    if (!index && query.trim()) message = "Loading suggestions…";
    else if (query.trim() && current.length) message = current.length === 1 ? "1 suggested answer below." : current.length + " suggested answers below.";
    else if (query.trim().length >= 3) message = "No matching answers yet. Add a few words, or contact support.";
    if (message !== lastAnnounced) { status.textContent = message; lastAnnounced = message; }
  }

  function renderFeedback() {
    var asked = problem.value.trim().length >= 3 || state.opened.length > 0;
    feedback.hidden = !asked || !steps.details.hidden;
    var lastOpened = state.opened[state.opened.length - 1];
    if (lastOpened) feedbackQuestion.textContent = "Did “" + lastOpened.title + "” answer your question?";
    else if (current.length) feedbackQuestion.textContent = "Did one of these answer your question?";
    else feedbackQuestion.textContent = "Still need help?";
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
      var label = make("label", "", "I read “" + item.title + "” (" + (item.kind === "article" ? "article" : "community thread") + ")");
      label.htmlFor = box.id;
      entry.append(box, " ", label);
      openedList.appendChild(entry);
    });
    element("kb-opened-empty").hidden = state.opened.length > 0;
    var opened = openedUrls();
    var visited = readStored(HISTORY_KEY, []).filter(function (item) { return !opened.has(item.url); });
    var visitedList = element("kb-history");
    visitedList.replaceChildren.apply(visitedList, visited.map(function (item) { return make("li", "", item.title + " — " + item.url); }));
    element("kb-history-count").textContent = visited.length === 1 ? "1 other help-center page" : visited.length + " other help-center pages";
    element("kb-history-consent").hidden = visited.length === 0;
    element("kb-environment").textContent = "Shared only if ticked: " + environment() + ".";
  }

  function environment() {
    var agent = navigator.userAgent;
    // Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
    var browser = [["Edge", /Edg\/(\d+)/], ["Opera", /OPR\/(\d+)/], ["Firefox", /Firefox\/(\d+)/], ["Chrome", /Chrom(?:e|ium)\/(\d+)/],
      ["Safari", /Version\/(\d+).*Safari/]].reduce(function (found, known) {
      var match = found ? null : agent.match(known[1]);
      return found || (match ? known[0] + " " + match[1] : "");
    }, "") || "unknown browser";
    var system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" :
      /Windows/.test(agent) ? "Windows" : /CrOS/.test(agent) ? "ChromeOS" : /Linux/.test(agent) ? "Linux" : "unknown system";
    return browser + " on " + system + ", language " + navigator.language + ", screen " + window.innerWidth + "×" + window.innerHeight;
  }

  /* ---------- Validation ---------- */

  function controlLabel(control) {
    var label = root.querySelector('label[for="' + control.id + '"]');
    return control.dataset.label || (label && label.firstChild ? label.firstChild.textContent.trim() : "this field");
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
    if (control.required && !value) {
      if (control === problem) return "Describe your problem in a few words.";
      if (control === category) return "Choose a topic.";
      if (control.id === "kb-description") return "Describe what happens, so support can help at once.";
      if (control.id === "kb-email") return "Enter your e-mail address, so we can reply.";
      return (control.tagName === "SELECT" ? "Choose " : "Enter ") + label.charAt(0).toLowerCase() + label.slice(1) + ".";
    }
    if (value && !control.checkValidity()) {
      if (control.type === "email") return "Enter an e-mail address like name@example.com.";
      if (control.type === "number") return "Enter a number.";
      return "Check " + label.charAt(0).toLowerCase() + label.slice(1) + ".";
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
      errors.appendChild(make("p", "kb-contact__errors-title", found.length === 1 ? "Please fix 1 problem:" : "Please fix " + found.length + " problems:"));
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
    var lines = ["Problem: " + data.problem, "Topic: " + data.category_title];
    data.fields.forEach(function (field) { lines.push(field.label + ": " + field.value); });
    if (data.email) lines.push("Reply to: " + data.email);
    lines.push("", "What I read on the help center:");
    if (!data.read.length) lines.push("- nothing yet");
    data.read.forEach(function (item) {
      var how = item.source === "suggestion" ? (item.kind === "article" ? "article, opened from the suggestions" : "community thread, opened from the suggestions")
        : item.source === "page" ? (item.kind === "article" ? "article I was reading before contacting support" : "community thread I was reading before contacting support")
        : "read during this visit";
      lines.push("- " + item.title + " (" + how + "): " + item.url);
    });
    lines.push("", "What I already tried:", data.tried || "(nothing said)");
    lines.push("", "What happens:", data.description);
    if (data.environment) lines.push("", "Environment: " + data.environment);
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
    send.textContent = targetKind === "clipboard" ? "Copy my request" : "Send to support";
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
      sendStatus.textContent = targetKind === "clipboard"
        ? "Copied. Paste it into your message to our support team."
        : "Copied. You can paste it into an e-mail to support.";
    }, function () {
      sendStatus.textContent = "Your browser did not allow copying: select the text above and copy it.";
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
    sendStatus.textContent = "Sending…";
    fetch(target, { method: "POST", headers: headers, body: body, credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("the server answered " + response.status);
      thank("Your request was sent", "Thank you. Support will reply to " + data.email + ".");
    }).catch(function (error) {
      sendStatus.textContent = "We could not send your request (" + error.message + "). Nothing was lost: try again, or copy the text and e-mail it to us.";
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
    thank("Glad that helped", "Thanks for letting us know. You can close this page, or ask something else.");
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
    element("kb-send-status").textContent = "Your e-mail app should open with your request. If it does not, copy the text and send it to " + target + ".";
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
    status.textContent = "Suggestions are not available right now; you can still contact support.";
    renderFeedback();
  });

  renderFeedback();
})();
