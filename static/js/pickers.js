/* Searchable pickers (enterprises.pickers): Tom Select turns each
   <input data-picker-url> into a search box over the app's JSON answer
   {"results": [{"value", "text"}]}, which is already scoped to the user and filtered by the
   server. Without this script the input stays a plain text box. No inline script (CSP). */
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") {
    return;
  }
  document.querySelectorAll("input[data-picker-url]").forEach(function (input) {
    var url = input.getAttribute("data-picker-url");
    var initial = JSON.parse(input.getAttribute("data-picker-initial") || "[]");
    var empty = input.getAttribute("data-picker-empty") || "";
    new TomSelect(input, {
      maxItems: 1,
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      options: initial,
      create: false,
      preload: "focus",
      loadThrottle: 250,
      maxOptions: 50,
      plugins: input.required ? [] : ["clear_button"],
      // The server already matched (names, USCC): show what it sent, in its order.
      score: function () {
        return function () {
          return 1;
        };
      },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query.slice(0, 50)), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = empty;
          return div;
        },
      },
    });
  });
})();
