// The hotline console's keyboard: the page works without this file (Tab, arrows, Space, Enter), and
// this adds what makes a call loggable in a few keys.
//   Alt+letter  picks the choice that shows that letter (by physical key, so an Arabic layout works).
//   Ctrl+Enter  logs the call from anywhere, the summary included.
//   Enter       in the search box searches; in any other field it logs the call.
// It also stamps the start time at the first key pressed on a blank console, which may have waited
// since the last call. It sends nothing anywhere and stores nothing.
(function () {
  "use strict";
  var form = document.querySelector("form[data-hotline-console]");
  if (!form) {
    return;
  }
  var logButton = form.querySelector("[data-log-call]");
  var searchButton = form.querySelector("[data-search-button]");
  var started = form.querySelector("[data-started-now]");
  var fresh = form.hasAttribute("data-fresh");

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  // Qatar keeps UTC+3 all year, so the centre's local time is UTC shifted by three hours.
  function qatarNow() {
    var d = new Date(Date.now() + 3 * 60 * 60 * 1000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + "T" +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  function stampStart() {
    if (fresh && started) {
      started.value = qatarNow();
    }
    fresh = false;
  }

  function submitWith(button) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Control" || event.key === "Alt" || event.key === "Shift" || event.key === "Meta") {
      return;
    }
    stampStart();
    if (event.altKey && !event.ctrlKey && !event.metaKey && /^Key[A-Z]$/.test(event.code)) {
      var choice = form.querySelector('[data-key="' + event.code.slice(3).toLowerCase() + '"]');
      if (choice) {
        event.preventDefault();
        choice.focus();
        if (choice.type === "checkbox" || choice.type === "radio") {
          choice.click();
        }
      }
      return;
    }
    if (event.key !== "Enter" || event.altKey || event.shiftKey || !form.contains(target)) {
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      submitWith(logButton);
      return;
    }
    if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON" || target.tagName === "A" || target.tagName === "SUMMARY") {
      return;
    }
    event.preventDefault();
    submitWith(target === form.querySelector("[data-search]") ? searchButton : logButton);
  });
  form.addEventListener("click", stampStart);
  // One call, one record: a second Enter (or a key repeat) while the first submission is on its way
  // must not log the call twice.
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) {
      event.preventDefault();
      return;
    }
    sent = true;
  });
})();
