/* kbgen contact page: text analysis, the same for the suggestion index and for what the customer types.
 *
 * kbgen.text's analysis in compact form, so that the page and `kbgen search` agree on what a word is:
 * the same words (letters and digits, inner dots kept), the same stop words, the same stemmer.
 * tests/unit/test_contact_text.py checks each against the Python side. No DOM: in the page it is
 * window.KbgenContactText (loaded before contact-index.js and contact.js); in node, require() gives it.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.KbgenContactText = factory();
})(this, function () {
  "use strict";

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

  /* The stop words of a text, each once: what the words of a question leave out, but a question may be
   * made of ("where are you from"), so the index also matches questions by them. */
  function functionWords(text) {
    return Array.from(new Set(words(text, false).filter(function (word) { return STOP_WORDS.has(word); })));
  }

  /* The index terms of a text (stop words left out), as kbgen.text.terms gives them. */
  function indexTerms(text) {
    return words(text, true).filter(function (word) { return !STOP_WORDS.has(word); }).map(stem);
  }

  return { STOP_WORDS: STOP_WORDS, MIN_PREFIX: MIN_PREFIX, normalise: normalise, stem: stem, words: words, analyse: analyse, indexTerms: indexTerms, functionWords: functionWords };
});
