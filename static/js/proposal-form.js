/* Proposal form: focus the error summary, count title characters.
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
})();
