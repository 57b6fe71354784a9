/* Proposal form: focus the error summary, count title characters, filter regions.
   Everything here is an enhancement: the form works fully without it. */
(function () {
  "use strict";

  // Move focus to the error summary so that keyboard and screen-reader users start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  function interpolate(text, count) {
    return text.replace("%(count)s", String(count));
  }

  // Live character counter for inputs with data-counter and a maxlength.
  document.querySelectorAll("input[data-counter][maxlength]").forEach(function (input) {
    var max = parseInt(input.getAttribute("maxlength"), 10);
    var visible = document.createElement("p");
    visible.className = "char-counter";
    visible.id = input.id + "_counter";
    visible.setAttribute("aria-hidden", "true");
    // Screen readers hear the count only after a pause in typing, not on every key.
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", spoken);
    var oneLeft = input.form.dataset.counterOne || "1 character left";
    var manyLeft = input.form.dataset.counterMany || "%(count)s characters left";
    var timer = null;

    function message() {
      var left = max - input.value.length;
      return left === 1 ? oneLeft : interpolate(manyLeft, left);
    }
    function update() {
      var left = max - input.value.length;
      visible.textContent = message();
      visible.classList.toggle("char-counter-low", left <= 10);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = message(); }, 1000);
    }
    input.addEventListener("input", update);
    visible.textContent = message();
  });

  // Region filter: a text box above the select hides the regions that do not match.
  document.querySelectorAll("[data-region-filter]").forEach(function (wrapper) {
    var select = wrapper.querySelector("select");
    if (!select) {
      return;
    }
    var box = wrapper.dataset;
    var fold = function (s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l").replace(/Ł/g, "L").toLowerCase().trim();
    };
    var id = select.id + "_filter";
    var field = document.createElement("div");
    field.className = "region-filter";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = box.filterLabel;
    var help = document.createElement("p");
    help.className = "helptext";
    help.id = id + "_help";
    help.textContent = box.filterHelp;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", help.id + " " + id + "_count");
    input.setAttribute("aria-controls", select.id);
    var count = document.createElement("p");
    count.id = id + "_count";
    count.className = "filter-count";
    count.setAttribute("aria-live", "polite");
    field.append(label, help, input, count);
    select.insertAdjacentElement("beforebegin", field);

    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    options.forEach(function (o) { o.dataset.search = fold(o.textContent); });
    var timer = null;

    function apply() {
      var query = fold(input.value);
      var shown = 0;
      options.forEach(function (o) {
        var match = !query || o.dataset.search.indexOf(query) !== -1 || o.selected;
        o.hidden = !match;
        if (match && !o.selected) { shown += 1; }
      });
      var groups = 0;
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
        if (!group.hidden) { groups += 1; }
      });
      // While filtering, show the matches (and their country headings) as a visible list.
      select.size = query ? Math.min(10, Math.max(2, shown + groups + 1)) : 0;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (!query) {
          count.textContent = "";
        } else if (shown === 0) {
          count.textContent = box.countNone;
        } else if (shown === 1) {
          count.textContent = box.countOne;
        } else {
          count.textContent = interpolate(box.countMany, shown);
        }
      }, 400);
    }
    input.addEventListener("input", apply);
    // Enter in the filter must not send the form; move to the list instead.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  });
})();
