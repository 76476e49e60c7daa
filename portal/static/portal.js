// The public apps' only script: quick exit (button and Esc), voice recording, the offline draft, and the
// service worker. It makes no request to anyone but this server.
(function () {
  "use strict";
  var body = document.body;
  var app = body.getAttribute("data-app");
  var exitURL = body.getAttribute("data-exit");
  var draftKey = "aman.portal.draft." + app;

  // Quick exit: forget everything this app kept on the device, blank the page, and replace this
  // history entry with a neutral site, so Back does not return here.
  function forget() {
    try {
      var keys = [];
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && k.indexOf("aman.portal.") === 0) { keys.push(k); }
      }
      keys.forEach(function (k) { localStorage.removeItem(k); });
      sessionStorage.clear();
    } catch (e) { /* storage may be disabled */ }
  }
  function quickExit(ev) {
    if (ev) { ev.preventDefault(); }
    forget();
    document.title = "";
    body.innerHTML = "";
    location.replace(exitURL);
  }
  document.querySelectorAll("[data-quick-exit]").forEach(function (el) {
    el.addEventListener("click", quickExit);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" || ev.key === "Esc") { quickExit(ev); }
  });

  // Offline draft: kept only when a send fails for want of a connection, never while typing, and never
  // with the passphrase or files. It is sent as soon as the connection returns, and erased on send or exit.
  var form = document.querySelector("form[data-draft]");
  var offlineStatus = document.querySelector("[data-offline-status]");
  function fieldsOf(f) {
    var out = [];
    Array.prototype.forEach.call(f.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "password") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      out.push([el.name, el.value]);
    });
    return out;
  }
  function restore(f, fields) {
    fields.forEach(function (pair) {
      Array.prototype.forEach.call(f.elements, function (el) {
        if (el.name !== pair[0]) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) { el.checked = true; }
        } else if (el.type !== "file" && el.type !== "password") {
          el.value = pair[1];
        }
      });
    });
  }
  if (form) {
    var pending = false;
    try {
      var saved = localStorage.getItem(draftKey);
      if (saved) {
        restore(form, JSON.parse(saved));
        if (offlineStatus) { offlineStatus.textContent = body.getAttribute("data-msg-restored"); }
      }
    } catch (e) { /* a damaged draft is dropped */ }
    form.addEventListener("submit", function (ev) {
      if (navigator.onLine === false) {
        ev.preventDefault();
        pending = true;
        try { localStorage.setItem(draftKey, JSON.stringify(fieldsOf(form))); } catch (e) { /* ignore */ }
        if (offlineStatus) { offlineStatus.textContent = body.getAttribute("data-msg-offline"); }
        return;
      }
      forget();
    });
    window.addEventListener("online", function () {
      if (pending && form.reportValidity()) { forget(); form.submit(); }
    });
  }

  // Voice: recorded in the page and attached to the form as a file; nothing is uploaded until Send.
  var rec = document.querySelector("[data-recorder]");
  if (rec && window.MediaRecorder && navigator.mediaDevices && window.DataTransfer) {
    rec.hidden = false;
    var start = rec.querySelector("[data-record-start]");
    var stop = rec.querySelector("[data-record-stop]");
    var clear = rec.querySelector("[data-record-clear]");
    var status = rec.querySelector("[data-record-status]");
    var preview = rec.querySelector("[data-record-preview]");
    var input = rec.querySelector("[data-record-file]");
    var recorder = null, chunks = [], timer = null, url = null;
    var maxMillis = 3 * 60 * 1000; // three minutes stay well under the 10 MB limit
    function reset() {
      if (url) { URL.revokeObjectURL(url); url = null; }
      input.value = "";
      preview.hidden = true; preview.removeAttribute("src");
      clear.hidden = true; status.textContent = "";
    }
    start.addEventListener("click", function () {
      reset();
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data && e.data.size) { chunks.push(e.data); } };
        recorder.onstop = function () {
          clearTimeout(timer);
          stream.getTracks().forEach(function (t) { t.stop(); });
          var type = (recorder.mimeType || "audio/webm").split(";")[0];
          var ext = type.indexOf("mp4") >= 0 ? "m4a" : type.indexOf("ogg") >= 0 ? "ogg" : "webm";
          var blob = new Blob(chunks, { type: type });
          var dt = new DataTransfer();
          dt.items.add(new File([blob], "voice." + ext, { type: type }));
          input.files = dt.files;
          url = URL.createObjectURL(blob);
          preview.src = url; preview.hidden = false;
          start.hidden = false; stop.hidden = true; clear.hidden = false;
          status.textContent = body.getAttribute("data-msg-recorded");
        };
        recorder.start();
        timer = setTimeout(function () { if (recorder.state === "recording") { recorder.stop(); } }, maxMillis);
        start.hidden = true; stop.hidden = false;
        status.textContent = body.getAttribute("data-msg-recording");
      }, function () {
        status.textContent = body.getAttribute("data-msg-denied");
      });
    });
    stop.addEventListener("click", function () { if (recorder && recorder.state === "recording") { recorder.stop(); } });
    clear.addEventListener("click", reset);
  }

  // The service worker keeps this app's pages for offline use, for this app's path only.
  if ("serviceWorker" in navigator && app) {
    navigator.serviceWorker.register("/portal-sw.js", { scope: "/" + app }).catch(function () { /* offline use is a bonus */ });
  }
})();
