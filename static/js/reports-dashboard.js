/* The leaders' dashboard: the weekly trend and the district bars (Apache ECharts).
   The data comes from the page's <script type="application/json" id="dashboard-data">;
   clicking a bar opens the ticket list behind it. No inline script or style (CSP). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = { accepted: "#0d6efd", solved: "#198754", rate: "#fd7e14" };

  function open(urls) {
    return function (params) {
      var url = urls[params.dataIndex];
      if (url) {
        window.location.assign(url);
      }
    };
  }

  function draw(elementId, option, clickable) {
    var element = document.getElementById(elementId);
    if (!element) {
      return;
    }
    var chart = echarts.init(element);
    chart.setOption(option);
    chart.on("click", function (params) {
      var urls = clickable[params.seriesIndex];
      if (urls) {
        open(urls)(params);
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  var trend = data.trend;
  draw(
    "trend-chart",
    {
      color: [colours.accepted, colours.solved, colours.rate],
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [data.names.accepted, data.names.solved, data.names.rate] },
      grid: { left: 48, right: 48, bottom: 32, top: 40 },
      xAxis: { type: "category", data: trend.labels },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: data.names.accepted, type: "bar", data: trend.accepted, cursor: "pointer" },
        { name: data.names.solved, type: "bar", data: trend.solved, cursor: "pointer" },
        {
          name: data.names.rate,
          type: "line",
          yAxisIndex: 1,
          data: trend.rate,
          connectNulls: false,
          tooltip: { valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
        },
      ],
    },
    [trend.acceptedUrls, trend.solvedUrls]
  );

  var districts = data.districts;
  draw(
    "district-chart",
    {
      color: [colours.accepted, colours.solved],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: [data.names.accepted, data.names.solved] },
      grid: { left: 96, right: 24, bottom: 24, top: 40 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: districts.labels, inverse: true },
      series: [
        { name: data.names.accepted, type: "bar", data: districts.accepted, cursor: "pointer" },
        { name: data.names.solved, type: "bar", data: districts.solved, cursor: "pointer" },
      ],
    },
    [districts.acceptedUrls, districts.solvedUrls]
  );
})();
