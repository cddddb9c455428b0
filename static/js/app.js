// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Pages that show the progress of background work follow it while it runs. The element with
  // data-poll-url names a JSON endpoint answering {percent, status_label, finished}; inside it a
  // native <progress>, [data-percent] and [data-status] show the figures. The Content-Security-Policy
  // forbids inline styles, so nothing here sets a style: the <progress> element draws itself.
  var poll = document.querySelector("[data-poll-url]");
  if (!poll) { return; }
  var url = poll.getAttribute("data-poll-url");
  var bar = poll.querySelector("progress");
  var percentText = poll.querySelector("[data-percent]");
  var statusText = poll.querySelector("[data-status]");
  var timer = setInterval(function () {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
        if (percentText) { percentText.textContent = data.percent; }
        if (statusText) { statusText.textContent = data.status_label; }
        if (data.finished) { clearInterval(timer); window.location.reload(); }
      })
      .catch(function () { clearInterval(timer); });
  }, 1500);
})();
