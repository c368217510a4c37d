// Live progress bars for background jobs (cms/jobs/templates/jobs/includes/
// progress.html): each unfinished bar polls its JSON endpoint until the job
// has finished. Loaded once per page, however many bars it shows.
(function () {
  "use strict";

  if (window.kideJobProgress) {
    return;
  }
  window.kideJobProgress = true;

  var INTERVAL_MS = 1500;
  var RETRY_MS = 5000;

  function show(root, data) {
    var bar = root.querySelector("[data-job-progress-bar]");
    if (data.percent === null) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
    root.querySelector("[data-job-progress-status]").textContent = data.status_label;
    root.querySelector("[data-job-progress-count]").textContent = data.total
      ? data.done + " / " + data.total
      : "";
    root.querySelector("[data-job-progress-message]").textContent = data.message;
    var error = root.querySelector("[data-job-progress-error]");
    error.textContent = data.error;
    error.hidden = !data.error;
  }

  function poll(root) {
    fetch(root.dataset.jobProgressUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status >= 400 && response.status < 500) {
          return null; // the job is gone or no longer ours: stop asking
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data === null) {
          return;
        }
        show(root, data);
        if (!data.finished) {
          window.setTimeout(poll, INTERVAL_MS, root);
        } else if ("jobProgressReload" in root.dataset) {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, RETRY_MS, root);
      });
  }

  function watch(scope) {
    scope.querySelectorAll("[data-job-progress-live]").forEach(function (root) {
      if (!root.jobProgressWatched) {
        root.jobProgressWatched = true;
        window.setTimeout(poll, INTERVAL_MS, root);
      }
    });
  }

  function start() {
    watch(document);
    // Admin listings replace their results in place after filtering.
    new MutationObserver(function () {
      watch(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
