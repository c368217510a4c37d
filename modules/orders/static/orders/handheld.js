// Handheld scan form: submit with a key, keep unanswered scans, resend them.
//
// A scan is stored in localStorage before it is sent. When the answer comes
// (booked or refused) it is removed; when the network fails it stays and is
// sent again, with the same key, when the browser is back online. The server
// books a key once, so a resend never books twice.
(function () {
  "use strict";
  var form = document.getElementById("scan");
  if (!form) return;
  var message = document.getElementById("message");
  var STORE = "handheld-pending:" + location.pathname;

  function show(text, kind) {
    message.textContent = text;
    message.className = kind;
  }

  function pending() {
    try { return JSON.parse(localStorage.getItem(STORE) || "null"); }
    catch (e) { return null; }
  }

  function updateLines(lines) {
    lines.forEach(function (line) {
      var cell = document.querySelector('[data-line="' + line.id + '"]');
      if (cell) cell.textContent = line.done + " / " + line.total;
    });
  }

  function send(scan) {
    localStorage.setItem(STORE, JSON.stringify(scan));
    show(form.dataset.sending, "wait");
    var body = new URLSearchParams(scan.fields);
    return fetch(location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": scan.fields.csrfmiddlewaretoken },
    }).then(function (response) {
      return response.json().then(function (data) {
        localStorage.removeItem(STORE);
        form.dataset.key = data.next_key;
        show(data.message, data.ok ? "ok" : "error");
        updateLines(data.lines || []);
        var confirmRow = document.getElementById("confirm-row");
        if (confirmRow) {
          confirmRow.hidden = response.headers.get("X-Confirm") !== "over_receipt";
          if (data.ok) document.getElementById("confirm").checked = false;
        }
        if (data.ok) {
          form.elements.code.value = "";
          form.elements.quantity.value = "1";
        }
        form.elements.code.focus();
      });
    }).catch(function () {
      show(form.dataset.offline, "offline");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (pending()) { send(pending()); return; }
    var fields = {};
    new FormData(form).forEach(function (value, name) { fields[name] = value; });
    fields.key = form.dataset.key;
    send({ fields: fields });
  });

  window.addEventListener("online", function () {
    var scan = pending();
    if (scan) send(scan);
  });
  setInterval(function () {
    var scan = pending();
    if (scan && navigator.onLine) send(scan);
  }, 5000);
  if (pending()) send(pending());

  // Camera scanning where the browser can read barcodes itself.
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var button = document.getElementById("camera");
    var video = document.getElementById("preview");
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({
        formats: ["ean_13", "ean_8", "code_128", "upc_a"],
      });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          video.play();
          function look() {
            detector.detect(video).then(function (codes) {
              if (codes.length) {
                stream.getTracks().forEach(function (track) { track.stop(); });
                video.hidden = true;
                form.elements.code.value = codes[0].rawValue;
                form.requestSubmit();
              } else {
                requestAnimationFrame(look);
              }
            }).catch(function () { requestAnimationFrame(look); });
          }
          look();
        });
    });
  }
})();
