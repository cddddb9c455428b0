// The annual report page: the year chooser goes to that year's address, and the PDF's progress bar
// asks the status address every two seconds until the build is done or failed.
(function () {
  "use strict";

  var year = document.getElementById("report-year");
  if (year) {
    year.closest("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var url = year.dataset.reportUrl.replace(/0\/$/, year.value + "/");
      var school = document.getElementById("report-school").value;
      window.location.assign(school ? url + "?school=" + encodeURIComponent(school) : url);
    });
  }

  var box = document.getElementById("report-build");
  if (!box) {
    return;
  }
  var bar = document.getElementById("report-build-bar");
  var label = document.getElementById("report-build-label");
  var progress = bar.parentElement;

  function show(percent) {
    bar.style.width = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state.progress);
        if (state.download) {
          label.textContent = "The PDF is ready.";
          document.getElementById("report-build-download").classList.remove("d-none");
        } else if (state.finished) {
          label.textContent = "The PDF could not be made: " + state.problem;
        } else {
          label.textContent = "The PDF is being made: " + state.label.toLowerCase() + " (" + state.progress + "%).";
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        label.textContent = "The PDF's progress could not be read. Reload the page to try again.";
      });
  }

  show(Number(bar.dataset.progress) || 0);
  window.setTimeout(poll, 1000);
})();
