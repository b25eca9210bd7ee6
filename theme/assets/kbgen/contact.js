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

  // kbgen.text's analysis in compact form, so that the page and `kbgen search` agree on what a word
  // is: the same words (letters and digits, inner dots kept), the same stop words, the same stemmer.
  // tests/unit/test_contact_ranking.py checks both against the Python side.
  var STOP_WORDS = new Set((
    "a advice also an and any anybody anyone are as at be by can cheers could dear did do does doing done every for " +
    "from get getting got have hello help helpful here hey hi how i'm i've idea ideas if im in is it it's its ive just " +
    "know knows let like many may me mine more most much my need needs not of on one or our ours please pls question " +
    "questions really regards should some somebody someone still tbd tell thank thanks that the there thing things " +
    "this thx to us very want wants way ways we what when where which who whom whose why will with would yet you your yours"
  ).split(" "));
  var MIN_PREFIX = 3;
  var WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/’/g, "'");
  }

  /* The Porter stemmer exactly as kbgen's index runs it (whoosh.lang.porter, quirks included:
   * "hoping" gives "hop"), so that a word stems to the same term here as in `kbgen search`. */
  var STEP2 = {
    ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al", entli: "ent",
    eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive", fulness: "ful",
    ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log",
  };
  var STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  var CONSONANTS = "[^aeiouy]+", VOWELS = "[aeiou]+";
  var MEASURE_ABOVE_0 = new RegExp("^(" + CONSONANTS + ")?" + VOWELS + CONSONANTS);
  var MEASURE_1 = new RegExp("^(" + CONSONANTS + ")?" + VOWELS + CONSONANTS + "(" + VOWELS + ")?$");
  var MEASURE_ABOVE_1 = new RegExp("^(" + CONSONANTS + ")?" + VOWELS + CONSONANTS + VOWELS + CONSONANTS);
  var HAS_VOWEL = new RegExp("^(" + CONSONANTS + ")?[aeiouy]");
  var ENDS_CVC = /^[^aeiouy]+[aeiouy][^aeiouwxy]$/;
  var STEP2_SUFFIX = new RegExp("^(.+?)(" + Object.keys(STEP2).join("|") + ")$");
  var STEP3_SUFFIX = new RegExp("^(.+?)(" + Object.keys(STEP3).join("|") + ")$");
  var STEP4_SUFFIX = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  var stems = new Map();

  function porter(word) {
    if (word.length < 3) return word;
    var w = word[0] === "y" ? "Y" + word.slice(1) : word;
    var match;
    if (w.endsWith("sses") || w.endsWith("ies")) w = w.slice(0, -2);
    else if (w.endsWith("s") && w[w.length - 2] !== "s") w = w.slice(0, -1);
    if (w.endsWith("eed")) {
      if (MEASURE_ABOVE_0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((match = /^(.*)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(match[1])) {
      w = match[1];
      if (/^(at|bl|iz)$/.test(w)) w += "e";
      else if (/^([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (ENDS_CVC.test(w)) w += "e";
    }
    if (w.endsWith("y") && HAS_VOWEL.test(w.slice(0, -1))) w = w.slice(0, -1) + "i";
    if ((match = STEP2_SUFFIX.exec(w)) && MEASURE_ABOVE_0.test(match[1])) w = match[1] + STEP2[match[2]];
    if ((match = STEP3_SUFFIX.exec(w)) && MEASURE_ABOVE_0.test(match[1])) w = match[1] + STEP3[match[2]];
    if ((match = STEP4_SUFFIX.exec(w))) {
      if (MEASURE_ABOVE_1.test(match[1])) w = match[1];
    } else if ((match = /^(.+?)(s|t)(ion)$/.exec(w)) && MEASURE_ABOVE_1.test(match[1] + match[2])) {
      w = match[1] + match[2];
    }
    if ((match = /^(.+?)e$/.exec(w)) && (MEASURE_ABOVE_1.test(match[1]) || (MEASURE_1.test(match[1]) && !ENDS_CVC.test(match[1])))) w = match[1];
    if (w.endsWith("ll") && MEASURE_ABOVE_1.test(w)) w = w.slice(0, -1);
    return w[0] === "Y" ? "y" + w.slice(1) : w;
  }

  function stem(word) {
    var found = stems.get(word);
    if (found === undefined) { found = porter(word); stems.set(word, found); }
    return found;
  }

  /* The words of a text (two letters or more). For the index, "e-mail" also gives "email", so that
   * customers who type "email" or "e-mail" both find it. */
  function words(text, forIndex) {
    var normal = normalise(text);
    var found = (normal.match(WORD) || []).filter(function (word) { return word.length > 1; });
    if (forIndex) {
      (normal.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu) || []).forEach(function (compound) { found.push(compound.replace(/-/g, "")); });
    }
    return found;
  }

  /* The query's words as {word, term, typing}; the last one is flagged when it may still be being typed. */
  function analyse(text) {
    var queryWords = words(text, false);
    var typing = /[\p{L}\p{N}]$/u.test(normalise(text));
    var found = [];
    queryWords.forEach(function (word, position) {
      var last = typing && position === queryWords.length - 1;
      if (STOP_WORDS.has(word) && (!last || word.length < MIN_PREFIX)) return;
      found.push({ word: word, term: STOP_WORDS.has(word) ? "" : stem(word), typing: last });
    });
    return found;
  }

  /* The index terms of a text (stop words left out), as kbgen.text.terms gives them. */
  function indexTerms(text) {
    return words(text, true).filter(function (word) { return !STOP_WORDS.has(word); }).map(stem);
  }

  /* ---------- The suggestion index: BM25F over short fields, question variants first ---------- */

  // kbgen's one ranking in compact form (kbgen.rank.PageSearch): BM25F over a page's fields, weighted
  // as kbgen.index.FIELD_WEIGHTS (one saturation per word across fields), fused by reciprocal rank
  // with the best single question (title or variant, idf-weighted cosine: a variant is text of its
  // own, and it is the one shown as "Also asked as"); a page whose title or variant has exactly the
  // query's words comes first. No weight here was fitted: bench/faq_matching.py chose the fusion on
  // CLINC150 val and confirms it on CLINC150 test and SemEval-2016 (bench/related_semeval.py).
  var FIELDS = ["title", "questions", "summary", "tags", "category", "body"];
  var FIELD_WEIGHTS = { title: 3, questions: 2.5, summary: 1.5, tags: 1.5, category: 0.5, body: 1 };
  var K1 = 1.2, B = 0.75; // BM25's published defaults (also Whoosh's and Lucene's)
  var SLOT_LAST_VARIANT = 30, SLOT_BITS = 5; // a page's questions: 0 the title, 1.. its variants
  var PREFIX_QUALITY_TYPING = 0.75, PREFIX_QUALITY = 0.4, MAX_EXPANSIONS = 200, KEEP_RATIO = 0.3;

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
        popularity: row[column.popularity] || 0, solved: !!row[column.solved], terms: row[column.terms] || "",
      };
    });
    var count = this.pages.length;
    // Each page's terms per field, and the fields' mean lengths (BM25's length normalisation).
    var fieldTerms = this.pages.map(function (page) {
      return {
        title: indexTerms(page.title), questions: indexTerms(page.questions.join("\n")), summary: indexTerms(page.summary),
        tags: indexTerms(page.tags.join(" ")), category: indexTerms(page.categoryTitle),
        body: page.terms ? page.terms.split(" ") : [], // already kbgen's stemmed terms: not analysed again
      };
    });
    var meanLength = {};
    FIELDS.forEach(function (field) {
      var total = 0;
      fieldTerms.forEach(function (terms) { total += terms[field].length; });
      meanLength[field] = total / Math.max(count, 1) || 1;
    });
    var pageLists = new Map(), questionLists = new Map(), questionTerms = [];
    function listOf(lists, term) {
      var list = lists.get(term);
      if (!list) { list = []; lists.set(term, list); }
      return list;
    }
    this.exact = new Map();
    fieldTerms.forEach(function (terms, number) {
      var frequency = new Map();
      FIELDS.forEach(function (field) {
        var norm = FIELD_WEIGHTS[field] / (1 - B + B * terms[field].length / meanLength[field]);
        terms[field].forEach(function (term) { frequency.set(term, (frequency.get(term) || 0) + norm); });
      });
      frequency.forEach(function (weighted, term) { listOf(pageLists, term).push(number, weighted); });
      var page = this.pages[number];
      [page.title].concat(page.questions).slice(0, SLOT_LAST_VARIANT + 1).forEach(function (question, slot) {
        var unique = Array.from(new Set(indexTerms(question))).sort();
        unique.forEach(function (term) { listOf(questionLists, term).push((number << SLOT_BITS) | slot); });
        questionTerms.push([(number << SLOT_BITS) | slot, unique]);
        var key = unique.join(" ");
        if (key && !this.exact.has(key)) this.exact.set(key, number);
      }, this);
    }, this);
    this.terms = Array.from(pageLists.keys()).sort();
    this.pagePostings = new Map();
    this.pageWeights = new Map();
    this.questionPostings = new Map();
    this.idf = new Map();
    this.terms.forEach(function (term) {
      var list = pageLists.get(term);
      var pages = list.length / 2;
      var idf = Math.log(1 + (count - pages + 0.5) / (pages + 0.5));
      var numbers = new Int32Array(pages), weights = new Float32Array(pages);
      for (var position = 0; position < pages; position += 1) {
        var weighted = list[2 * position + 1];
        numbers[position] = list[2 * position];
        weights[position] = idf * weighted * (K1 + 1) / (weighted + K1);
      }
      this.idf.set(term, idf);
      this.pagePostings.set(term, numbers);
      this.pageWeights.set(term, weights);
      this.questionPostings.set(term, Int32Array.from(questionLists.get(term) || []));
    }, this);
    // Each question's length (as idf-weighted words), to match a query to one question by cosine.
    this.questionNorm = new Float32Array(count << SLOT_BITS);
    questionTerms.forEach(function (question) {
      var sum = 0;
      question[1].forEach(function (term) { sum += Math.pow(this.idf.get(term), 2); }, this);
      this.questionNorm[question[0]] = Math.sqrt(sum) || 1;
    }, this);
    // Scratch space reused by every query: typed arrays, so a keystroke allocates almost nothing.
    this.total = new Float64Array(count);
    this.tokenBest = new Float64Array(count);
    this.questionScore = new Float64Array(count << SLOT_BITS);
    this.questionToken = new Int16Array(count << SLOT_BITS);
    this.bestQuestion = new Float64Array(count);
    this.bestSlot = new Int8Array(count);
  }

  /* Vocabulary terms a query word may stand for, with how much each counts. */
  SuggestIndex.prototype.expand = function (token) {
    var found = [];
    if (token.term && this.pagePostings.has(token.term)) found.push([token.term, 1]);
    var prefixes = token.typing ? [token.term, token.word] : [token.term];
    var quality = token.typing ? PREFIX_QUALITY_TYPING : PREFIX_QUALITY;
    var seen = new Set([token.term]);
    prefixes.forEach(function (prefix) {
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
        if (!seen.has(shorter) && this.pagePostings.has(shorter)) { seen.add(shorter); found.push([shorter, quality]); }
      }
    }
    return found;
  };

  // Reciprocal-rank fusion (kbgen.rank.fuse_ranks): each signal adds 1 / (60 + its rank of the page).
  var FUSION_RANK_CONSTANT = 60;
  function fuseRanks(results) {
    results.forEach(function (result) { result.fused = 0; });
    ["score", "question"].forEach(function (signal) {
      var order = results.filter(function (result) { return result[signal] > 0; });
      order.sort(function (first, second) { return second[signal] - first[signal] || (first.page.url < second.page.url ? -1 : 1); });
      order.forEach(function (result, rank) { result.fused += 1 / (FUSION_RANK_CONSTANT + rank + 1); });
    });
  }

  /* The page whose title or question variant has exactly the query's words, or -1. */
  SuggestIndex.prototype.exactMatch = function (tokens) {
    var terms = tokens.map(function (token) { return token.term; });
    if (terms.indexOf("") >= 0) return -1;
    var found = this.exact.get(Array.from(new Set(terms)).sort().join(" "));
    return found === undefined ? -1 : found;
  };

  /* The suggestions for ``query``: its best pages, without those far below the best (``rank``). */
  SuggestIndex.prototype.search = function (query, limit) {
    var results = this.rank(query);
    var top = results.length ? results[0].score : 0;
    return results.filter(function (result) { return result.exact || result.score >= KEEP_RATIO * top; }).slice(0, limit);
  };

  /* Every page matching ``query``: [{page, score, slot, exact}], best first. ``slot`` is the question
   * (0 the title, 1.. a variant) that matched best; ``exact`` when it has exactly the query's words. */
  SuggestIndex.prototype.rank = function (query) {
    var unique = new Map();
    analyse(query).forEach(function (token) {
      var key = token.term || token.word;
      var known = unique.get(key);
      if (!known || token.typing) unique.set(key, token);
    });
    var tokens = Array.from(unique.values());
    if (!tokens.length) return [];
    var total = this.total, tokenBest = this.tokenBest;
    var questionScore = this.questionScore, questionToken = this.questionToken;
    var touched = [], questionsTouched = [];
    var seenPage = new Uint8Array(this.pages.length);
    tokens.forEach(function (token, tokenNumber) {
      var tokenTouched = [];
      this.expand(token).forEach(function (expansion) {
        var numbers = this.pagePostings.get(expansion[0]), weights = this.pageWeights.get(expansion[0]);
        for (var position = 0; position < numbers.length; position += 1) {
          var documentNumber = numbers[position];
          var contribution = expansion[1] * weights[position];
          if (contribution > tokenBest[documentNumber]) {
            if (tokenBest[documentNumber] === 0) tokenTouched.push(documentNumber);
            tokenBest[documentNumber] = contribution;
          }
        }
        var idf = this.idf.get(expansion[0]), matched = idf * idf * expansion[1];
        var questions = this.questionPostings.get(expansion[0]);
        for (position = 0; position < questions.length; position += 1) {
          var packed = questions[position];
          if (questionToken[packed] === tokenNumber + 1) continue; // one word counts once per question
          if (questionToken[packed] === 0) questionsTouched.push(packed);
          questionToken[packed] = tokenNumber + 1;
          questionScore[packed] += matched;
        }
      }, this);
      tokenTouched.forEach(function (documentNumber) {
        if (!seenPage[documentNumber]) { seenPage[documentNumber] = 1; touched.push(documentNumber); }
        total[documentNumber] += tokenBest[documentNumber];
        tokenBest[documentNumber] = 0;
      });
    }, this);
    var bestQuestion = this.bestQuestion, bestSlot = this.bestSlot;
    questionsTouched.forEach(function (packed) {
      var documentNumber = packed >> SLOT_BITS;
      var cosine = questionScore[packed] / this.questionNorm[packed];
      if (cosine > bestQuestion[documentNumber]) { bestQuestion[documentNumber] = cosine; bestSlot[documentNumber] = packed & 31; }
      questionScore[packed] = 0;
      questionToken[packed] = 0;
    }, this);
    var exact = this.exactMatch(tokens);
    var results = touched.map(function (documentNumber) {
      var page = this.pages[documentNumber];
      var result = { page: page, score: total[documentNumber], slot: bestSlot[documentNumber], question: bestQuestion[documentNumber], exact: documentNumber === exact };
      total[documentNumber] = 0;
      bestQuestion[documentNumber] = 0;
      bestSlot[documentNumber] = 0;
      return result;
    }, this);
    fuseRanks(results);
    results.sort(function (first, second) {
      if (first.exact !== second.exact) return first.exact ? -1 : 1;
      if (second.fused !== first.fused) return second.fused - first.fused;
      // Tied (one page first by words, the other by its best question): the question that says what was typed.
      if (second.question !== first.question) return second.question - first.question;
      if (second.score !== first.score) return second.score - first.score;
      if (first.page.kind !== second.page.kind) return first.page.kind === "article" ? -1 : 1;
      return first.page.url < second.page.url ? -1 : 1;
    });
    return results;
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
