// Name suggestions for the entity box, from GET /entities?q=; picking one keeps its id in the
// hidden field, so the search names that entity rather than every name that fits the words.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var hidden = input.form.querySelector("input[name=entity_id]");
  var known = {};
  var timer = null;
  var asked = "";

  function fill(items) {
    known = {};
    list.textContent = "";
    items.forEach(function (item) {
      known[item.name.toLowerCase()] = item.entity_id;
      var option = document.createElement("option");
      option.value = item.name;
      option.label = item.label + " · " + item.articles + " article" + (item.articles === 1 ? "" : "s");
      list.appendChild(option);
    });
  }

  function ask() {
    var typed = input.value.trim();
    if (typed.length < 2 || typed === asked) { return; }
    asked = typed;
    var url = input.dataset.suggest + "?limit=8&q=" + encodeURIComponent(typed);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : { items: [] }; })
      .then(function (page) { if (input.value.trim() === typed) { fill(page.items || []); } })
      .catch(function () { /* suggestions are a convenience: typing still works */ });
  }

  input.addEventListener("input", function () {
    var id = known[input.value.trim().toLowerCase()];
    hidden.value = id || "";
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
})();
