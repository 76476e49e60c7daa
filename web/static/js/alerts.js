// Live alerts for staff pages: listens to /events (server-sent events), keeps the alert count current
// and, for a critical intake, shows a banner that links to it. Labels come from the server in the
// page's language; nothing is stored on the device.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var count = document.querySelector("[data-alert-count]");
  var banners = document.querySelector("[data-alert-banners]");
  var source = new EventSource("/events");
  source.addEventListener("notification", function (e) {
    var n;
    try {
      n = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (count) {
      count.textContent = String(n.unread);
      count.hidden = n.unread === 0;
    }
    if (n.kind !== "critical_intake" || !banners) {
      return;
    }
    var banner = document.createElement("div");
    banner.className = "alert alert--live";
    banner.setAttribute("role", "alert");
    banner.setAttribute("data-live-alert", n.kind);
    var link = document.createElement("a");
    link.href = n.link || "/triage";
    link.textContent = n.label;
    banner.appendChild(link);
    banners.appendChild(banner);
  });
})();
