/* passaparola: make the site's search work when the site is opened from file://.
 *
 * Material for MkDocs runs its search in a Web Worker, and browsers refuse to start workers
 * from file:// pages. Material supports running that worker in an iframe instead (it checks
 * for `IFrameWorker`), which is what this small local script provides; on http(s) it does
 * nothing. The search index itself comes from search/search_index.js, written by
 * `passaparola report` next to search_index.json. No code is loaded from the internet.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  // Runs inside the iframe: the worker API the search script expects.
  var SHIM = [
    "self.importScripts = function () {",
    "  var urls = Array.prototype.slice.call(arguments);",
    "  return urls.reduce(function (chain, url) {",
    "    return chain.then(function () {",
    "      return new Promise(function (resolve, reject) {",
    "        var script = document.createElement('script');",
    "        script.src = url; script.onload = resolve; script.onerror = reject;",
    "        document.head.appendChild(script);",
    "      });",
    "    });",
    "  }, Promise.resolve());",
    "};",
    "self.postMessage = function (data) { parent.postMessage(data, '*'); };",
  ].join("\n");

  function IFrameWorker(url) {
    var events = new EventTarget();
    var frame = document.createElement("iframe");
    var ready = false;
    var queued = [];
    var worker = this;
    // The iframe's own postMessage now talks to this page (see SHIM), so messages for the
    // search code are handed to the iframe as events (it has this page's origin).
    function deliver(data) {
      frame.contentWindow.dispatchEvent(new MessageEvent("message", { data: data }));
    }
    frame.setAttribute("hidden", "");
    frame.setAttribute("title", "search");
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow) {
        return;
      }
      if (event.data && event.data.__passaparolaReady) {
        ready = true;
        queued.forEach(deliver);
        queued = [];
        return;
      }
      var message = new MessageEvent("message", { data: event.data });
      events.dispatchEvent(message);
      if (typeof worker.onmessage === "function") {
        worker.onmessage(message);
      }
    });
    this.addEventListener = events.addEventListener.bind(events);
    this.removeEventListener = events.removeEventListener.bind(events);
    this.dispatchEvent = events.dispatchEvent.bind(events);
    this.postMessage = function (data) {
      if (ready) {
        deliver(data);
      } else {
        queued.push(data);
      }
    };
    this.terminate = function () { frame.remove(); };
    var source = new URL(url, location.href).href.replace(/"/g, "%22");
    frame.srcdoc =
      "<!doctype html><html><head><script>" + SHIM + "<\/script>" +
      "<script src=\"" + source + "\"><\/script>" +
      "<script>parent.postMessage({ __passaparolaReady: true }, '*');<\/script>" +
      "</head><body></body></html>";
    (document.body || document.documentElement).appendChild(frame);
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
