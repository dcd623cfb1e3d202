// Live preview on the compose page: after a pause in typing, the form is posted to the
// preview address and the server's rendering (sanitized there) replaces the preview. Without
// JavaScript the Preview button does the same with a full page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview-content");
  if (!form || !target || !window.fetch) return;
  var timer = null;
  var sent = 0;
  function refresh() {
    var ticket = ++sent;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && ticket === sent) target.innerHTML = html;
      })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
})();

// The other-language version's search box: Enter there runs the search (the form's Find
// button) instead of the preview that Enter gives in the other fields. Without JavaScript
// the Find button does it.
(function () {
  "use strict";
  var box = document.querySelector(".version-search input[type=search]");
  var find = document.querySelector(".version-search button[type=submit]");
  if (!box || !find) return;
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      find.click();
    }
  });
})();

// Pictures: a file dropped on the upload form goes into its file input; the editor then
// writes the alt text and uploads. Without JavaScript the file input does it.
(function () {
  "use strict";
  var form = document.querySelector(".picture-upload");
  var input = form && form.querySelector("input[type=file]");
  if (!input || !window.DataTransfer) return;
  form.querySelector(".drop-hint").hidden = false;
  form.addEventListener("dragover", function (event) {
    event.preventDefault();
    form.classList.add("dragging");
  });
  form.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    form.classList.remove("dragging");
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      var alt = form.querySelector("input[name=alt]");
      if (alt) alt.focus();
    }
  });
})();
