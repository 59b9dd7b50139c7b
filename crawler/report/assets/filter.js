/* passaparola: filter a page's mentions by label, status, source and kind, in the browser; and
 * under a table or chart too wide for the screen, say that it scrolls sideways.
 *
 * Works offline and from file://: it reads only the page's own cards (their data-label,
 * data-status, data-source and data-kind attributes) and hides those that do not match. The
 * filter bar is in the page, hidden until this script shows it (without JavaScript every card
 * stays visible). No network, no library.
 */
(function () {
  "use strict";
  var FIELDS = ["label", "status", "source", "kind"];

  function setUp(bar) {
    var list = document.getElementById(bar.getAttribute("data-for"));
    if (!list) {
      return;
    }
    var cards = list.querySelectorAll("article.pp-mention");
    var count = bar.querySelector(".pp-filter-count");
    var template = count ? count.getAttribute("data-template") : "";

    function apply() {
      var wanted = {};
      FIELDS.forEach(function (field) {
        var select = bar.querySelector("select[name=" + field + "]");
        wanted[field] = select ? select.value : "";
      });
      var shown = 0;
      for (var i = 0; i < cards.length; i++) {
        var card = cards[i];
        var match = FIELDS.every(function (field) {
          return !wanted[field] || card.getAttribute("data-" + field) === wanted[field];
        });
        card.hidden = !match;
        if (match) {
          shown += 1;
        }
      }
      if (count) {
        count.textContent = template
          .replace("{shown}", String(shown))
          .replace("{total}", String(cards.length));
      }
    }

    bar.addEventListener("change", apply);
    bar.addEventListener("reset", function () {
      window.setTimeout(apply, 0);
    });
    bar.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    bar.hidden = false;
    apply();
  }

  var HINT = {
    it: "← scorri di lato per vedere tutto →",
    en: "← scroll sideways to see it all →",
  };

  function hintScrolling() {
    var words = HINT[document.documentElement.lang] || HINT.en;
    var boxes = document.querySelectorAll(".pp-table, .pp-figure");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var hint = box.nextElementSibling;
      var has = hint && hint.classList.contains("pp-scroll-hint");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.toggleAttribute("data-scrolls", scrolls);
      if (scrolls && !has) {
        hint = document.createElement("p");
        hint.className = "pp-scroll-hint";
        hint.textContent = words;
        box.parentNode.insertBefore(hint, box.nextSibling);
      } else if (!scrolls && has) {
        hint.remove();
      }
    }
  }

  function start() {
    var bars = document.querySelectorAll("form.pp-filter[data-for]");
    for (var i = 0; i < bars.length; i++) {
      setUp(bars[i]);
    }
    hintScrolling();
    window.addEventListener("resize", hintScrolling);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
