/* kbgen contact page: the suggestion index over assets/kbgen/suggest.json, and its ranking.
 *
 * No DOM: in the page it is window.KbgenContactIndex (after contact-text.js, before contact.js); in
 * node, require() gives it (tests/unit/test_contact_ranking.py, bench/contact_ranking.py).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./contact-text.js"));
  else root.KbgenContactIndex = factory(root.KbgenContactText);
})(this, function (text) {
  "use strict";

  var analyse = text.analyse, indexTerms = text.indexTerms, functionWords = text.functionWords, MIN_PREFIX = text.MIN_PREFIX;

  /* ---------- The suggestion index: BM25F over short fields, question variants first ---------- */

  // kbgen's one ranking in compact form (kbgen.rank.PageSearch): BM25F over a page's fields, weighted
  // as kbgen.index.FIELD_WEIGHTS (one saturation per word across fields), fused by reciprocal rank
  // with the best single question (title or variant, idf-weighted cosine: a variant is text of its
  // own, and it is the one shown as "Also asked as"); a page whose title or variant has exactly the
  // query's words comes first. In that question match, a short query's function words ("where are you
  // from", "are you a bot") count too, by their idf like any word: a short question may be nothing else.
  // Left out: those on most pages (idf at most log 2), and those of a query longer than
  // FUNCTION_WORDS_UP_TO words, a description where they are noise (cstheory's recall@5 fell 1.4 points).
  // No weight here was fitted: bench/faq_matching.py chose the fusion and that length on CLINC150 val and
  // confirms them on CLINC150 test, SemEval-2016 and cstheory (bench/related_semeval.py).
  var FIELDS = ["title", "questions", "summary", "tags", "category", "body"];
  var FIELD_WEIGHTS = { title: 3, questions: 2.5, summary: 1.5, tags: 1.5, category: 0.5, body: 1 };
  var K1 = 1.2, B = 0.75; // BM25's published defaults (also Whoosh's and Lucene's)
  var SLOT_LAST_VARIANT = 30, SLOT_BITS = 5; // a page's questions: 0 the title, 1.. its variants
  var FUNCTION_WORDS_UP_TO = 10; // query words (not counting function words); CLINC150 val's gain is whole from 10
  var PREFIX_QUALITY_TYPING = 0.75, PREFIX_QUALITY = 0.4, MAX_EXPANSIONS = 200, KEEP_RATIO = 0.3;

  /* The sorted terms of every page's title, variants, summary and tags, if they are the vocabulary the index
   * was built with (same count and check, kbgen.site.contact.vocabulary_check), else null: then body terms are
   * left out rather than misread. */
  function sharedVocabulary(fieldTerms, expected) {
    if (!expected) return null;
    var terms = new Set();
    fieldTerms.forEach(function (page) {
      ["title", "questions", "summary", "tags"].forEach(function (field) { page[field].forEach(function (term) { terms.add(term); }); });
    });
    var sorted = Array.from(terms).sort();
    var joined = sorted.join("\n"), check = 0x811c9dc5;
    for (var position = 0; position < joined.length; position += 1) {
      check = Math.imul(check ^ joined.charCodeAt(position), 0x01000193) >>> 0;
    }
    return sorted.length === expected.terms && check === expected.check ? sorted : null;
  }

  /* ``data``: suggest.json, by column (kbgen.site.contact.suggestion_index_json): data.pages.url[n] is page n's URL. */
  function SuggestIndex(data) {
    var column = data.pages, none = [];
    var categoryTitles = data.categories.map(function (category) { return category.title; });
    this.categories = data.categories;
    this.pages = column.url.map(function (url, number) {
      var category = column.category[number];
      return {
        kind: column.kind[number], category: (data.categories[category] || {}).slug || "",
        categoryTitle: categoryTitles[category] || "", url: url, title: column.title[number],
        questions: column.questions[number] || [], summary: column.summary[number] || "", tags: column.tags[number] || [],
        popularity: column.popularity[number] || 0, solved: !!column.solved[number], terms: (column.terms || none)[number] || "",
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
    // A few of each page's body terms, as numbers into the vocabulary of the fields above (kbgen.site.contact.vocabulary_of).
    var vocabulary = sharedVocabulary(fieldTerms, data.vocabulary);
    if (vocabulary) {
      fieldTerms.forEach(function (terms, number) {
        (column.known[number] || none).forEach(function (term) { terms.body.push(vocabulary[term]); });
      });
    }
    var meanLength = {};
    FIELDS.forEach(function (field) {
      var total = 0;
      fieldTerms.forEach(function (terms) { total += terms[field].length; });
      meanLength[field] = total / Math.max(count, 1) || 1;
    });
    var pageLists = new Map(), questionLists = new Map(), questionTerms = [], functionLists = new Map(), functionPages = new Map();
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
        var words = functionWords(question);
        words.forEach(function (word) {
          listOf(functionLists, word).push((number << SLOT_BITS) | slot);
          listOf(functionPages, word)[number] = true;
        });
        questionTerms.push([(number << SLOT_BITS) | slot, unique, words]);
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
    // Function words in the questions, kept only where they tell something: on at most half the pages.
    this.functionPostings = new Map();
    this.functionIdf = new Map();
    functionLists.forEach(function (list, word) {
      var pages = Object.keys(functionPages.get(word)).length;
      if (2 * pages > count) return;
      this.functionIdf.set(word, Math.log(1 + (count - pages + 0.5) / (pages + 0.5)));
      this.functionPostings.set(word, Int32Array.from(list));
    }, this);
    // Each question's length (as idf-weighted words), to match a query to one question by cosine.
    this.questionNorm = new Float32Array(count << SLOT_BITS);
    questionTerms.forEach(function (question) {
      var sum = 0;
      question[1].forEach(function (term) { sum += Math.pow(this.idf.get(term), 2); }, this);
      question[2].forEach(function (word) { sum += Math.pow(this.functionIdf.get(word) || 0, 2); }, this);
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
    var topScore = 0, topQuestion = 0;
    results.forEach(function (result) { topScore = Math.max(topScore, result.score); topQuestion = Math.max(topQuestion, result.question); });
    return results.filter(function (result) {
      return result.exact || result.score >= KEEP_RATIO * topScore || result.question >= KEEP_RATIO * topQuestion;
    }).slice(0, limit);
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
    var queryFunctionWords = tokens.length > FUNCTION_WORDS_UP_TO ? [] : functionWords(query).filter(function (word) { return this.functionPostings.has(word); }, this);
    if (!tokens.length && !queryFunctionWords.length) return [];
    var total = this.total, tokenBest = this.tokenBest;
    var questionScore = this.questionScore, questionToken = this.questionToken;
    var touched = [], questionsTouched = [], contentWords = false, contentMatched = false;
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
      if (token.term) { contentWords = true; contentMatched = contentMatched || tokenTouched.length > 0; }
      tokenTouched.forEach(function (documentNumber) {
        if (!seenPage[documentNumber]) { seenPage[documentNumber] = 1; touched.push(documentNumber); }
        total[documentNumber] += tokenBest[documentNumber];
        tokenBest[documentNumber] = 0;
      });
    }, this);
    // Function words count in the question match only (never in the words' BM25F score), and only when the
    // query has no other words or some of them are the help center's: "payroll for my staff" asks about
    // something no page mentions, and "for my" alone is no reason to suggest a page.
    if (contentWords && !contentMatched) queryFunctionWords = [];
    queryFunctionWords.forEach(function (word) {
      var idf = this.functionIdf.get(word), questions = this.functionPostings.get(word);
      for (var position = 0; position < questions.length; position += 1) {
        var packed = questions[position], documentNumber = packed >> SLOT_BITS;
        if (questionToken[packed] === 0) questionsTouched.push(packed);
        questionToken[packed] = -1;
        questionScore[packed] += idf * idf;
        if (!seenPage[documentNumber]) { seenPage[documentNumber] = 1; touched.push(documentNumber); }
      }
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

  return { SuggestIndex: SuggestIndex, SLOT_LAST_VARIANT: SLOT_LAST_VARIANT };
});
