/* kbgen's strings for its scripts, in the site's language: read from the page's JSON island
 * (<script id="kbgen-strings">, rendered from kbgen/site/locales/<theme.language>.yml).
 * window.kbgenText.text("sending") → "Sending…"; .plural("results", 3, { query: "x" }) picks the
 * language's plural form (Intl.PluralRules) and fills {count} and {query}. A key the page lacks
 * comes back as the fallback given, so a page without the island still reads.
 */
(function () {
  "use strict";

  var island = document.getElementById("kbgen-strings");
  var data = {};
  try { data = island ? JSON.parse(island.textContent) : {}; } catch (error) { data = {}; }
  // The page's tables: the strings every page needs, then the contact or search page's own.
  var strings = Object.assign.apply(null, [{}].concat(data.strings || []));
  var rules = new Intl.PluralRules(data.language || document.documentElement.lang || "en");

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function text(key, values, fallback) {
    var template = strings[key];
    return fill(typeof template === "string" ? template : fallback !== undefined ? fallback : key, values);
  }

  function plural(key, count, values) {
    var forms = strings[key] || {};
    var template = forms[rules.select(count)] || forms.other || key;
    return fill(template, Object.assign({ count: count }, values || {}));
  }

  window.kbgenText = { language: data.language || "en", text: text, plural: plural };
})();
