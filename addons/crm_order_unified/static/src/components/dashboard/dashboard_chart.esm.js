// [dashboard] One chart of the dashboard (Chart.js, as the graph view loads it); a click opens its records.
import {Component, onWillStart, onWillUnmount, useEffect, useRef} from "@odoo/owl";
import {formatInteger, formatMonetary} from "@web/views/fields/formatters";
import {cookie} from "@web/core/browser/cookie";
import {getColor} from "@web/core/colors/colors";
import {loadBundle} from "@web/core/assets";

export class CouDashboardChart extends Component {
  static template = "crm_order_unified.DashboardChart";
  static props = {
    chart: Object,
    currencyId: {type: Number, optional: true},
    onOpen: Function,
  };

  setup() {
    this.canvasRef = useRef("canvas");
    this.chart = null;
    onWillStart(() => loadBundle("web.chartjs_lib"));
    useEffect(
      () => {
        this.renderChart();
        return () => this.destroy();
      },
      () => [this.props.chart]
    );
    onWillUnmount(() => this.destroy());
  }

  destroy() {
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  }

  format(value) {
    if (this.props.chart.format === "monetary") {
      return formatMonetary(value, {
        currencyId: this.props.currencyId,
        digits: [16, 0],
      });
    }
    return formatInteger(value);
  }

  renderChart() {
    const spec = this.props.chart;
    const scheme = cookie.get("color_scheme");
    const round = ["pie", "doughnut"].includes(spec.type);
    const datasets = spec.datasets.map((dataset, index) => {
      const colors = round
        ? dataset.data.map((_v, i) => getColor(i, scheme, dataset.data.length))
        : getColor(index, scheme, spec.datasets.length);
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: dataset.color || colors,
        borderColor: dataset.color || colors,
        stack: dataset.stack,
        fill: dataset.fill,
        type: dataset.type,
        pointRadius: spec.type === "line" ? 3 : undefined,
      };
    });
    const stacked = spec.datasets.some((dataset) => dataset.stack);
    const config = {
      type: spec.type,
      data: {labels: spec.labels, datasets},
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {display: spec.datasets.length > 1 || round, position: "bottom"},
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label || item.label}: ${this.format(item.raw)}`,
            },
          },
        },
        scales: round
          ? {}
          : {
              x: {stacked},
              y: {
                stacked,
                beginAtZero: true,
                ticks: {
                  callback: (value) => this.format(value),
                  precision: spec.format === "integer" ? 0 : undefined,
                },
              },
            },
        onClick: (_event, elements) => {
          if (elements.length) {
            const {datasetIndex, index} = elements[0];
            const actions = spec.datasets[datasetIndex].actions || [];
            this.props.onOpen(actions[index]);
          }
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
      },
    };
    this.destroy();
    // Chart.js is a global of the web.chartjs_lib bundle (loaded in onWillStart)
    this.chart = new window.Chart(this.canvasRef.el, config);
  }
}
