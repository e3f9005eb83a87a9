// Polls every background job shown on a page and updates its progress bar until it finishes.
(function () {
  document.querySelectorAll("[data-job-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var status = box.querySelector(".job-status");
    var message = box.querySelector(".job-message");
    function poll() {
      fetch(box.dataset.jobUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          if (bar) bar.value = job.percent;
          if (status) status.textContent = job.status_display;
          if (message) message.textContent = job.message || "";
          if (!job.finished) setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    poll();
  });
})();
