// The triage queue refreshes itself every 30 seconds so its timers stay current. It reloads only while
// the page is visible and nothing is being typed; it sends nothing and stores nothing.
(function () {
  "use strict";
  var marked = document.querySelector("[data-refresh]");
  if (!marked) {
    return;
  }
  var seconds = parseInt(marked.getAttribute("data-refresh"), 10) || 30;
  window.setInterval(function () {
    var active = document.activeElement;
    var typing = active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.tagName === "SELECT");
    if (document.visibilityState === "visible" && !typing) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
