/* kbgen: the home page's search box opens Material's search with what the customer typed.
   Without JavaScript the form still works: it submits ?q=..., which Material's search reads. */
(function () {
  "use strict";

  function openSearch(value) {
    var toggle = document.getElementById("__search");
    var query = document.querySelector("[data-md-component=search-query]");
    if (!toggle || !query) return false;
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    query.value = value;
    query.focus();
    query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    query.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function enhance(form) {
    var input = form.querySelector("input[name=q]");
    if (!input) return;
    form.addEventListener("submit", function (event) {
      if (openSearch(input.value)) event.preventDefault();
    });
    input.addEventListener("input", function () {
      if (input.value.trim() && openSearch(input.value)) input.value = "";
    });
  }

  function start() {
    // Material's search dialog has no accessible name; give it one.
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", window.kbgenText ? window.kbgenText.text("search_dialog") : "Search");
    var forms = document.querySelectorAll("form[data-kb-search]");
    for (var index = 0; index < forms.length; index++) enhance(forms[index]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
