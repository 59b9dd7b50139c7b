/* passaparola serve: remember who is handling mentions, in this browser only.
 *
 * Sent only by `passaparola serve` (the published site has no forms). Every card's form asks
 * for a name; the name typed last is kept in localStorage and filled into every form, so a
 * colleague types it once. Nothing is sent anywhere but the form's own POST to this server.
 */
(function () {
  "use strict";
  var KEY = "passaparola.by";

  function stored() {
    try {
      return window.localStorage.getItem(KEY) || "";
    } catch (error) {
      return ""; // storage disabled: the name is typed each time
    }
  }

  function fill() {
    var name = stored();
    var fields = document.querySelectorAll(
      "form.pp-handle input[name=by], form.pp-relabel-form input[name=by]"
    );
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value) {
        fields[i].value = name;
      }
    }
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form.pp-handle, form.pp-relabel-form")) {
        return;
      }
      var by = form.querySelector("input[name=by]");
      var name = by ? by.value.trim() : "";
      if (name) {
        try {
          window.localStorage.setItem(KEY, name);
        } catch (error) {
          /* storage disabled: nothing to remember */
        }
      }
    },
    true
  );

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
