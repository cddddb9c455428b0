// The quick log on a phone: the note survives a dropped connection or a closed tab (kept on this
// device until the record is saved), students come from a type-ahead over the officer's roster,
// and fields that do not apply step aside. Every part of the form also works without this script.
(function () {
  "use strict";
  var DRAFT = "sro.quickLog.draft";

  function readDraft() {
    try { return JSON.parse(window.localStorage.getItem(DRAFT) || "null"); } catch (e) { return null; }
  }
  function removeDraft() {
    try { window.localStorage.removeItem(DRAFT); } catch (e) { /* storage off: nothing kept */ }
  }

  // A record page clears the draft it came from: the note is on the server now.
  var saved = document.querySelector("[data-draft-saved]");
  if (saved) {
    var kept = readDraft();
    if (kept && kept.key === saved.getAttribute("data-draft-saved")) { removeDraft(); }
  }

  var form = document.querySelector("form.quick-log");
  if (!form) { return; }
  var rows = form.querySelector("[data-student-rows]");
  var total = form.querySelector("input[name='students-TOTAL_FORMS']");
  var maxRows = parseInt((form.querySelector("input[name='students-MAX_NUM_FORMS']") || {}).value || "20", 10);

  function addRow() {
    var all = rows.querySelectorAll("[data-student-row]");
    var count = parseInt(total.value, 10);
    if (count >= maxRows || !all.length) { return null; }
    var copy = all[all.length - 1].cloneNode(true);
    var from = "students-" + (all.length - 1) + "-";
    var to = "students-" + count + "-";
    copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.split(from).join(to)); }
      });
      if (el.matches("input[type=text], input:not([type])")) { el.value = ""; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      if (el.matches("input[type=radio], input[type=checkbox]")) { el.checked = el.defaultChecked; }
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = "Student " + (count + 1); }
    rows.appendChild(copy);
    total.value = String(count + 1);
    wireRow(copy);
    return copy;
  }

  // --- Fields that do not apply step aside ------------------------------------------------------
  var actionAll = form.querySelector("select[name='action_all']");
  function arrestChosen(row) {
    var action = row.querySelector("select[name$='-action']");
    var value = action && action.value ? action.value : (actionAll ? actionAll.value : "");
    return value === "custodial_arrest";
  }
  function refreshRow(row) {
    var involvement = row.querySelector("select[name$='-involvement']");
    var involvedOnly = row.querySelector("[data-involved-only]");
    var witness = involvement && involvement.value === "witness";
    if (involvedOnly) { involvedOnly.hidden = witness; }
    if (witness) {
      row.querySelectorAll("[data-involved-only] select").forEach(function (el) { el.selectedIndex = 0; });
    }
    var arrest = row.querySelector("select[name$='-arrest_school_related']");
    if (arrest) {
      var wrapper = arrest.closest(".col-12") || arrest.parentNode;
      wrapper.hidden = !arrestChosen(row) && !arrest.value && !arrest.classList.contains("is-invalid");
    }
  }
  function wireRow(row) {
    row.addEventListener("change", function () { refreshRow(row); });
    var input = row.querySelector("[data-student-search]");
    if (input) { wireSearch(input); }
    refreshRow(row);
  }
  if (actionAll) {
    actionAll.addEventListener("change", function () {
      rows.querySelectorAll("[data-student-row]").forEach(refreshRow);
    });
  }
  var followNeeded = form.querySelector("input[name='follow_up_needed']");
  var followDue = form.querySelector("input[name='follow_up_due']");
  function refreshFollowUp() {
    if (!followNeeded || !followDue) { return; }
    var wrapper = followDue.closest(".mb-3") || followDue.parentNode;
    wrapper.hidden = !followNeeded.checked && !followDue.classList.contains("is-invalid");
  }
  if (followNeeded) { followNeeded.addEventListener("change", refreshFollowUp); }

  // A category tied to a bright line of the agreement asks at once whether the matter went back
  // to administration (the server requires the answer; without this script the question is always
  // shown, for the categories marked "bright line").
  var category = form.querySelector("select[name='category']");
  var question = form.querySelector("[data-bright-line-question]");
  var outcomeAll = form.querySelector("select[name='outcome_all']");
  function refreshBrightLine() {
    if (!category || !question) { return; }
    var chosen = category.options[category.selectedIndex];
    var statement = chosen ? chosen.getAttribute("data-bright-line") : null;
    var answers = question.querySelectorAll("input[type=radio]");
    question.hidden = !statement;
    var text = question.querySelector("[data-bright-line-statement]");
    if (text) {
      text.hidden = !statement;
      text.textContent = statement ? "This category touches a bright line: " + statement : "";
    }
    if (!statement) { answers.forEach(function (el) { el.checked = false; }); }
  }
  if (category) { category.addEventListener("change", refreshBrightLine); }
  if (question) {
    question.addEventListener("change", function (event) {
      // "Yes" fills in the outcome for every involved student, when none was chosen yet.
      if (event.target.value === "yes" && event.target.checked && outcomeAll && !outcomeAll.value) {
        outcomeAll.value = "returned_to_administration";
      }
    });
  }

  // --- The type-ahead: suggestions from the officer's roster, into one shared <datalist> ---------
  var suggestions = document.getElementById("student-suggestions");
  var searchUrl = form.getAttribute("data-search-url");
  function wireSearch(input) {
    input.setAttribute("list", "student-suggestions");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text.indexOf("(") !== -1) { return; }
      timer = setTimeout(function () {
        fetch(searchUrl + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            suggestions.textContent = "";
            data.results.forEach(function (result) {
              var option = document.createElement("option");
              option.value = result.value;
              option.label = result.label;
              suggestions.appendChild(option);
            });
          })
          .catch(function () { /* offline: the officer can still type the id */ });
      }, 200);
    });
  }

  var addButton = form.querySelector("[data-add-student]");
  if (addButton) {
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var row = addRow();
      if (row) { row.querySelector("[data-student-search]").focus(); }
      saveDraft();
    });
  }

  // --- The draft -----------------------------------------------------------------------------------
  var keepsDraft = form.hasAttribute("data-draft");
  var status = document.querySelector("[data-draft-status]");
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "button";
    });
  }
  function saveDraft() {
    if (!keepsDraft) { return; }
    var values = {};
    var key = "";
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
      } else {
        values[el.name] = el.value;
      }
      if (el.name === "key") { key = el.value; }
    });
    try {
      window.localStorage.setItem(DRAFT, JSON.stringify({ key: key, savedAt: Date.now(), values: values }));
      if (status) { status.textContent = "Draft kept on this device."; }
    } catch (e) { /* storage full or off */ }
  }
  function restoreDraft(draft) {
    var wanted = parseInt(draft.values["students-TOTAL_FORMS"] || "1", 10);
    while (parseInt(total.value, 10) < wanted && addRow()) { /* add rows the draft had */ }
    fields().forEach(function (el) {
      if (!(el.name in draft.values) && el.type !== "checkbox" && el.type !== "radio") { return; }
      if (el.type === "checkbox") { el.checked = draft.values[el.name] === el.value; }
      else if (el.type === "radio") { el.checked = draft.values[el.name] === el.value; }
      else if (el.name !== "students-INITIAL_FORMS") { el.value = draft.values[el.name]; }
    });
    var notice = document.querySelector("[data-draft-restored]");
    if (notice) { notice.classList.remove("d-none"); }
  }

  rows.querySelectorAll("[data-student-row]").forEach(wireRow);
  if (keepsDraft) {
    var draft = readDraft();
    // A page sent back with errors shows what was posted; the stored draft is only for a fresh page.
    if (draft && draft.values && !form.hasAttribute("data-bound")) { restoreDraft(draft); }
    rows.querySelectorAll("[data-student-row]").forEach(refreshRow);
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    var discard = document.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        removeDraft();
        window.location.replace(window.location.pathname);
      });
    }
  }
  refreshFollowUp();
  refreshBrightLine();
})();
