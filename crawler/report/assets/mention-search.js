/* passaparola: search and filter every mention from the archive page, offline and from file://.
 *
 * The filters (label, status, source, kind, brand) answer over the whole archive, not one
 * archive page: they read the label, status and kind each record carries, alone or on top of
 * the words typed. Filters alone load every record file (1,000 mentions each).
 *
 * The index is written by `passaparola report` under mention-search/ (see
 * crawler/report/mention_search.py): a manifest, one file of words per two first letters and
 * the records in files of `chunk` mentions. Only what a query needs is loaded, each file as a
 * <script> calling back into window.ppMentionSearch, which works where fetch() does not
 * (file://). Scraped text is only ever put into the page with textContent, and only http(s)
 * links become links. No network beyond the site's own files, no library.
 */
(function () {
  "use strict";
  var SHOWN = 20;
  var pending = {};
  var loaded = {};
  var api = { loaded: [] };

  function settle(name, value) {
    loaded[name] = Promise.resolve(value);
    if (pending[name]) {
      pending[name](value);
      delete pending[name];
    }
  }
  api.manifest = function (manifest) { settle("index", manifest); };
  api.words = function (key, words) { settle("t-" + key, words); };
  api.records = function (number, records) { settle("r-" + number, records); };
  window.ppMentionSearch = api;

  function load(base, name) {
    if (loaded[name]) {
      return loaded[name];
    }
    var promise = new Promise(function (resolve, reject) {
      pending[name] = resolve;
      var script = document.createElement("script");
      script.src = new URL(name + ".js", base).href;
      script.onerror = function () {
        delete loaded[name];
        reject(new Error("cannot load " + script.src));
      };
      api.loaded.push(script.src);
      document.head.appendChild(script);
    });
    loaded[name] = promise;
    return promise;
  }

  // The same folding as words_of() in mention_search.py.
  var MARKS = /[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670]/g;
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(MARKS, "");
  }

  function wordsOf(text) {
    var found = fold(text).match(/[\p{L}\p{N}_]+/gu) || [];
    return found
      .filter(function (word) { return Array.from(word).length >= 2; })
      .map(function (word) { return Array.from(word).slice(0, 40).join(""); });
  }

  // The same naming as file_key() in mention_search.py.
  function fileKey(word, length) {
    return Array.from(word).slice(0, length).map(function (char) {
      return /[a-z0-9]/.test(char) ? char : "_" + char.codePointAt(0).toString(16);
    }).join("");
  }

  var decoded = {};
  function numbers(key, word, deltas) {
    var name = key + " " + word;
    if (!decoded[name]) {
      var list = deltas.split(",");
      var out = new Uint32Array(list.length);
      var at = 0;
      for (var i = 0; i < list.length; i++) {
        at += Number(list[i]);
        out[i] = at;
      }
      decoded[name] = out;
    }
    return decoded[name];
  }

  // The mentions (by number, newest first) holding every typed word, or its beginning.
  function matching(base, manifest, words) {
    return Promise.all(words.map(function (word) {
      var key = fileKey(word, manifest.keyLength);
      if (manifest.keys.indexOf(key) < 0) {
        return new Uint8Array(manifest.total);
      }
      return load(base, "t-" + key).then(function (terms) {
        var marks = new Uint8Array(manifest.total);
        Object.keys(terms).forEach(function (term) {
          if (term.lastIndexOf(word, 0) === 0) {
            numbers(key, term, terms[term]).forEach(function (n) { marks[n] = 1; });
          }
        });
        return marks;
      });
    })).then(function (all) {
      var hits = [];
      for (var n = 0; n < manifest.total; n++) {
        if (all.every(function (marks) { return marks[n]; })) {
          hits.push(n);
        }
      }
      return hits;
    });
  }

  // The records of `hits` (mention numbers), in the same order; each record file loads once.
  function records(base, manifest, hits) {
    var chunks = [];
    hits.forEach(function (n) {
      var chunk = Math.floor(n / manifest.chunk);
      if (chunks.indexOf(chunk) < 0) {
        chunks.push(chunk);
      }
    });
    return Promise.all(chunks.map(function (chunk) { return load(base, "r-" + chunk); }))
      .then(function (lists) {
        var byChunk = {};
        chunks.forEach(function (chunk, i) { byChunk[chunk] = lists[i]; });
        return hits.map(function (n) {
          return byChunk[Math.floor(n / manifest.chunk)][n % manifest.chunk];
        });
      });
  }

  // Record fields the filters read: [select name, record index, manifest list or null].
  var FILTERS = [
    ["label", 8, null], ["status", 9, null], ["source", 3, "sources"],
    ["kind", 10, "kinds"], ["brand", 0, "brands"],
  ];

  function chosen(form) {
    var wanted = [];
    FILTERS.forEach(function (filter) {
      var select = form.querySelector("select[name=" + filter[0] + "]");
      if (select && select.value) {
        wanted.push([filter, select.value]);
      }
    });
    return wanted;
  }

  function fits(manifest, record, wanted) {
    return wanted.every(function (pair) {
      var filter = pair[0];
      var value = record[filter[1]];
      if (filter[2]) {
        value = (manifest[filter[2]] || [])[value];
      }
      return value === pair[1];
    });
  }

  // The numbers of `hits` whose records fit every chosen filter, in archive order.
  function filtered(base, manifest, hits, wanted) {
    if (!wanted.length) {
      return Promise.resolve(hits);
    }
    return records(base, manifest, hits).then(function (found) {
      return hits.filter(function (n, i) { return fits(manifest, found[i], wanted); });
    });
  }

  function everyMention(manifest) {
    var all = [];
    for (var n = 0; n < manifest.total; n++) {
      all.push(n);
    }
    return all;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function show(form, list, manifest, root, found, total, words) {
    var status = form.querySelector(".pp-search-count");
    var template = form.getAttribute("data-count");
    if (!total) {
      template = form.getAttribute(words ? "data-none" : "data-none-filtered");
    }
    status.textContent = template
      .replace("{n}", String(total))
      .replace("{shown}", String(found.length));
    list.textContent = "";
    found.forEach(function (record) {
      var brand = manifest.brands[record[0]];
      var source = manifest.sources[record[3]];
      var item = element("li", "pp-search-result");
      var link = element("a", "pp-search-link", record[4] || record[5] || source);
      link.setAttribute("href", new URL(record[6], root).href);
      item.appendChild(link);
      var meta = [brand, record[1], record[2], source].filter(Boolean).join(" · ");
      item.appendChild(element("p", "pp-search-meta", meta));
      item.appendChild(element("p", "pp-search-text", record[5]));
      if (/^https?:\/\//i.test(record[7])) {
        var original = element("a", "pp-link", form.getAttribute("data-original") + " ↗");
        original.setAttribute("href", record[7]);
        original.setAttribute("rel", "nofollow noopener noreferrer ugc");
        item.appendChild(original);
      }
      list.appendChild(item);
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var list = document.getElementById(form.getAttribute("data-for"));
    if (!input || !list) {
      return;
    }
    var base = new URL(form.getAttribute("data-index"), location.href);
    var root = new URL("../", base);
    var asked = 0;
    var timer = null;

    function run() {
      var query = ++asked;
      var words = wordsOf(input.value);
      var wanted = chosen(form);
      var status = form.querySelector(".pp-search-count");
      if (!words.length && !wanted.length) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      load(base, "index").then(function (manifest) {
        var found = words.length
          ? matching(base, manifest, words)
          : Promise.resolve(everyMention(manifest));
        return found.then(function (hits) {
          return filtered(base, manifest, hits, wanted);
        }).then(function (hits) {
          return records(base, manifest, hits.slice(0, SHOWN)).then(function (shown) {
            if (query === asked) {
              show(form, list, manifest, root, shown, hits.length, words.length > 0);
            }
          });
        });
      }).catch(function (error) {
        if (query === asked) {
          status.textContent = String(error.message || error);
        }
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 80);
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") {
        window.clearTimeout(timer);
        run();
      }
    });
    form.addEventListener("reset", function () {
      window.setTimeout(run, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run();
    });
    form.hidden = false;
  }

  function start() {
    var forms = document.querySelectorAll("form.pp-mention-search[data-index]");
    for (var i = 0; i < forms.length; i++) {
      setUp(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
