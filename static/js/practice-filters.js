/* Listings (practices, events, projects, organisations): on a narrow screen, fold the filter menus away while none
 * is in use, so that the results come right after the search field; on a
 * wide screen (where the fold's summary is hidden) they are always open.
 * The server renders the fold closed unless a menu filter is in force, and
 * wide screens show its content by CSS; this script only keeps old browsers
 * (without ::details-content) and resizes right. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 56rem)");
  var panels = document.querySelectorAll("details.more-filters");
  function apply() {
    Array.prototype.forEach.call(panels, function (details) {
      details.open = !(narrow.matches && details.dataset.collapseWhenNarrow === "yes");
    });
  }
  apply();
  narrow.addEventListener("change", function () {
    if (!narrow.matches) apply();
  });
})();
