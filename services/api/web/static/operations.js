// Buttons and forms of the operations pages write through the API itself, with the reader's
// API key (when the server asks for one) in the X-API-Key header. The key stays in this tab.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var keyInput = document.getElementById("api-key");
  var message = document.getElementById("op-message");
  var STORE = "gazette-api-key";

  if (keyInput) {
    keyInput.value = sessionStorage.getItem(STORE) || "";
    keyInput.addEventListener("change", function () { sessionStorage.setItem(STORE, keyInput.value); });
  }

  function say(text, failed) {
    message.textContent = text;
    message.className = "op-message" + (failed ? " error" : "");
  }

  function send(method, url, body, done, control) {
    var headers = { Accept: "application/json" };
    if (body) { headers["Content-Type"] = "application/json"; }
    if (keyInput && keyInput.value) { headers["X-API-Key"] = keyInput.value; }
    control.disabled = true;
    fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (answer) {
        if (answer.ok) {
          say(done, false);
          setTimeout(function () { window.location.reload(); }, 600);
          return null;
        }
        return answer.json().catch(function () { return {}; }).then(function (problem) {
          var why = problem.detail || problem.title || ("the server answered " + answer.status);
          if (answer.status === 401 || answer.status === 403) {
            why = keyInput ? "The API key is missing or wrong: type it in the API key field." : why;
          }
          if (problem.errors && problem.errors.length) {
            why = problem.errors.map(function (e) { return e.msg; }).join("; ");
          }
          say("Not done: " + why, true);
        });
      })
      .catch(function () { say("Not done: the server could not be reached.", true); })
      .then(function () { control.disabled = false; });
  }

  document.querySelectorAll("button.op").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
      send(button.dataset.op, button.dataset.url, null, button.dataset.done, button);
    });
  });

  document.querySelectorAll("form.op-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      new FormData(form).forEach(function (value, name) {
        if (value === "") { return; }
        if (name === "interval_minutes") { body.interval_seconds = Math.round(Number(value) * 60); } else { body[name] = value; }
      });
      send(form.dataset.op, form.dataset.url, body, form.dataset.done, form.querySelector("button"));
    });
  });
})();
