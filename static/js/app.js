// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Pages that show the progress of background work refresh themselves while it runs.
  var poll = document.querySelector("[data-poll-url]");
  if (poll) {
    var url = poll.getAttribute("data-poll-url");
    var timer = setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var bar = poll.querySelector(".progress-bar");
          if (bar) {
            bar.style.width = data.percent + "%";
            bar.textContent = data.percent + "%";
            poll.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
          }
          var status = poll.querySelector("[data-status]");
          if (status) { status.textContent = data.status_label; }
          if (data.finished) { clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { clearInterval(timer); });
    }, 1500);
  }
})();
