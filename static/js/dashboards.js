/* bluesky dashboards: draw each [data-chart] element with ECharts from the JSON spec the page
   embeds next to it (json_script, see reports/dashboards/charts.py); redraw after an HTMX swap. */
(function () {
  "use strict";
  var COLORS = { green: "#2e8b57", yellow: "#d4a106", red: "#c0392b", late: "#8e44ad", blue: "#1f5fa8", grey: "#a3adb8" };

  function color(name) { return name ? { color: COLORS[name] || name } : undefined; }

  function pieOption(spec) {
    var data = spec.categories.map(function (name, i) {
      return { name: name, value: spec.series[0].data[i], itemStyle: color(spec.colors && spec.colors[i]) };
    });
    return { tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data, label: { formatter: "{b}：{c}" } }] };
  }

  function heatmapOption(spec) {
    var data = [], max = 1;
    spec.values.forEach(function (row, y) {
      row.forEach(function (value, x) { data.push([x, y, value]); max = Math.max(max, value); });
    });
    return { tooltip: { position: "top" }, grid: { left: 200, right: 20, top: 10, bottom: 90 },
      xAxis: { type: "category", data: spec.x, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "category", data: spec.y, axisLabel: { interval: 0 } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ type: "heatmap", data: data, label: { show: true } }] };
  }

  function axisOption(spec) {
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.horizontal ? 0 : 30 } };
    var values = spec.percent_axis
      ? [{ type: "value" }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }]
      : [{ type: "value" }];
    var series = spec.series.map(function (s) {
      return { name: s.name, type: s.type || spec.kind, data: s.data, stack: spec.stacked ? "total" : undefined,
        yAxisIndex: spec.horizontal ? undefined : (s.axis || 0), itemStyle: color(s.color),
        lineStyle: s.color ? { color: COLORS[s.color] } : undefined, connectNulls: true };
    });
    return { tooltip: { trigger: "axis" }, legend: { top: 0 }, series: series,
      grid: { left: spec.horizontal ? 220 : 50, right: 50, top: 40, bottom: spec.horizontal ? 30 : 90 },
      xAxis: spec.horizontal ? values[0] : category,
      yAxis: spec.horizontal ? Object.assign(category, { inverse: true }) : values };
  }

  function option(spec) {
    if (spec.kind === "pie") { return pieOption(spec); }
    if (spec.kind === "heatmap") { return heatmapOption(spec); }
    return axisOption(spec);
  }

  function draw(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      if (spec.horizontal && spec.categories) { el.style.height = Math.max(240, 28 * spec.categories.length + 80) + "px"; }
      if (spec.kind === "heatmap") { el.style.height = Math.max(240, 26 * spec.y.length + 110) + "px"; }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption(option(spec), true);
      el.dataset.drawn = "true";
    });
  }

  draw(document);
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
