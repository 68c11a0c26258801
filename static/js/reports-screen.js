/* The big screen (reports/screen.html): draws the 12-week trend and the district ranking with
   Apache ECharts (dark), then fetches the figures again every minute and updates the tiles, the
   charts, the overdue list and "updated at". The first figures come with the page, in
   <script type="application/json" id="screen-data">. No inline script or style (CSP). */
(function () {
  "use strict";
  var source = document.getElementById("screen-data");
  var config = document.getElementById("screen-config");
  if (!source || !config || typeof echarts === "undefined") {
    return;
  }
  var colours = { accepted: "#5cc8ff", solved: "#4ade80", rate: "#fbbf24" };
  var fontSize = Math.max(14, Math.round(window.innerWidth / 100));
  var text = { color: "#e6edf7", fontSize: fontSize };
  var charts = {
    trend: echarts.init(document.getElementById("screen-trend"), "dark"),
    ranking: echarts.init(document.getElementById("screen-ranking"), "dark"),
  };

  function percent(value) {
    return value === null ? "—" : value.toFixed(1) + "%";
  }

  function count(value) {
    return value === null ? "—" : value.toLocaleString("en-US");
  }

  function trendOption(data) {
    var names = data.names;
    return {
      backgroundColor: "transparent",
      color: [colours.accepted, colours.solved, colours.rate],
      textStyle: text,
      legend: { top: 0, textStyle: text, data: [names.accepted, names.solved, names.rate] },
      grid: { left: 8, right: 8, bottom: 8, top: fontSize * 3, containLabel: true },
      xAxis: { type: "category", data: data.trend.labels, axisLabel: { fontSize: fontSize * 0.8 } },
      yAxis: [
        { type: "value", minInterval: 1, axisLabel: { fontSize: fontSize * 0.8 } },
        { type: "value", min: 0, max: 100, axisLabel: { fontSize: fontSize * 0.8, formatter: "{value}%" } },
      ],
      series: [
        { name: names.accepted, type: "bar", data: data.trend.accepted },
        { name: names.solved, type: "bar", data: data.trend.solved },
        { name: names.rate, type: "line", yAxisIndex: 1, data: data.trend.rate, symbolSize: 8, lineStyle: { width: 3 } },
      ],
    };
  }

  function rankingOption(data) {
    var rows = data.ranking;
    return {
      backgroundColor: "transparent",
      color: [colours.rate],
      textStyle: text,
      grid: { left: 8, right: fontSize * 4, bottom: 8, top: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { fontSize: fontSize * 0.8, formatter: "{value}%" } },
      yAxis: {
        type: "category",
        inverse: true,
        axisLabel: { fontSize: fontSize },
        data: rows.map(function (row) {
          return (row.rank === null ? "—" : row.rank) + "  " + row.name;
        }),
      },
      series: [
        {
          name: data.names.rate,
          type: "bar",
          barMaxWidth: 56,
          data: rows.map(function (row) { return row.rate; }),
          label: { show: true, position: "right", fontSize: fontSize, color: text.color, formatter: function (p) { return percent(p.value); } },
        },
      ],
    };
  }

  function showTiles(data) {
    data.headline.forEach(function (item) {
      var tile = document.querySelector('.screen-tile[data-code="' + item.code + '"]');
      if (!tile) {
        return;
      }
      var show = item.is_rate ? percent : count;
      tile.querySelector('[data-field="value"]').textContent = show(item.value);
      tile.querySelector('[data-field="total"]').textContent = show(item.total);
    });
  }

  function showOverdue(data) {
    var list = document.getElementById("screen-overdue");
    list.replaceChildren();
    if (!data.overdue.length) {
      var none = document.createElement("li");
      none.className = "screen-muted";
      none.textContent = config.getAttribute("data-none");
      list.appendChild(none);
      return;
    }
    data.overdue.forEach(function (row) {
      var item = document.createElement("li");
      var parts = [
        ["screen-overdue-days", row.late],
        ["screen-overdue-title", row.title],
        ["screen-muted", row.enterprise + (row.department ? " · " + row.department : "")],
      ];
      parts.forEach(function (part, index) {
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        if (index) {
          item.appendChild(document.createTextNode(" "));
        }
        item.appendChild(span);
      });
      list.appendChild(item);
    });
  }

  function show(data) {
    charts.trend.setOption(trendOption(data));
    charts.ranking.setOption(rankingOption(data));
    showTiles(data);
    showOverdue(data);
    document.getElementById("screen-period-title").textContent = data.period.title;
    document.getElementById("screen-updated-time").textContent = data.updated;
    document.getElementById("screen-updated").classList.remove("stale");
  }

  function refresh() {
    fetch(config.getAttribute("data-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      redirect: "error",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        // Keep the last figures; the time turns red until a refresh succeeds.
        document.getElementById("screen-updated").classList.add("stale");
      });
  }

  show(JSON.parse(source.textContent));
  window.setInterval(refresh, Number(config.getAttribute("data-seconds")) * 1000);
  window.addEventListener("resize", function () {
    charts.trend.resize();
    charts.ranking.resize();
  });
})();
