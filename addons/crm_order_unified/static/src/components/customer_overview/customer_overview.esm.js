// Customer overview: the Customer 360 tab of the partner form. One call
// (res.partner.get_customer_overview) gives what the tab paints first: the
// figures and the revenue of the last 24 months; the badges (segments, care
// attributes), the lists (open items, last orders) and the last timeline
// events follow in two calls after that first paint. Capabilities extend
// these calls on the server.
import {
  Component,
  onWillStart,
  onWillUnmount,
  onWillUpdateProps,
  useEffect,
  useRef,
  useState,
} from "@odoo/owl";
import {deserializeDate, deserializeDateTime} from "@web/core/l10n/dates";
import {formatFloat, formatInteger, formatMonetary} from "@web/views/fields/formatters";
import {
  formatShortDate,
  formatShortDateTime,
} from "@crm_order_unified/core/short_dates.esm";
import {_t} from "@web/core/l10n/translation";
import {eventAmountTitle} from "@crm_order_unified/core/event_amounts.esm";
import {getColor} from "@web/core/colors/colors";
import {loadBundle} from "@web/core/assets";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

// The parts of get_customer_overview read before the first paint, and after
const FIRST_PAINT_PARTS = ["figures", "revenue_by_month"];
const AFTER_PAINT_PARTS = ["badges", "care", "open_items", "orders"];

export class CouCustomerOverview extends Component {
  static template = "crm_order_unified.CustomerOverview";
  static props = {...standardWidgetProps};

  setup() {
    this.orm = useService("orm");
    this.action = useService("action");
    this.canvasRef = useRef("chart");
    this.chart = null;
    this.state = useState({data: null, lists: null, events: null});
    onWillStart(async () => {
      await Promise.all([loadBundle("web.chartjs_lib"), this.load(this.props)]);
    });
    onWillUpdateProps(async (next) => {
      if (next.record.resId !== this.props.record.resId) {
        await this.load(next);
      }
    });
    useEffect(
      () => this.renderChart(),
      () => [this.state.data]
    );
    onWillUnmount(() => this.chart?.destroy());
  }

  async load(props) {
    const resId = props.record.resId;
    this.state.data = resId
      ? await this.orm.call("res.partner", "get_customer_overview", [[resId]], {
          parts: FIRST_PAINT_PARTS,
        })
      : null;
    // The badges, the lists and the timeline's last events after the first paint
    this.state.lists = null;
    this.state.events = null;
    if (resId) {
      this.orm
        .call("res.partner", "get_customer_overview", [[resId]], {
          parts: AFTER_PAINT_PARTS,
        })
        .then((lists) => {
          if (this.props.record.resId === resId) {
            this.state.lists = lists;
          }
        });
      this.orm
        .call("res.partner", "get_customer_overview_events", [[resId]])
        .then((events) => {
          if (this.props.record.resId === resId) {
            this.state.events = events;
          }
        });
    }
  }

  // --- formatting ---------------------------------------------------------

  get currencyId() {
    return this.state.data.currency_id;
  }

  money(value) {
    return formatMonetary(value || 0, {currencyId: this.currencyId});
  }

  formatValue(kind, value) {
    switch (kind) {
      case "monetary":
        return this.money(value);
      case "integer":
        return formatInteger(value || 0);
      case "float":
        return value ? formatFloat(value, {digits: [16, 1]}) : "–";
      case "date":
        return value ? formatShortDate(deserializeDate(value)) : "–";
      case "datetime":
        return value ? formatShortDateTime(deserializeDateTime(value)) : "";
    }
    return String(value ?? "");
  }

  eventAmount(event) {
    return formatMonetary(event.amount, {currencyId: event.currency_id});
  }

  eventAmountTitle(event) {
    return eventAmountTitle(event);
  }

  get ordersTitle() {
    const orders = this.state.lists.orders;
    return _t("Last %(shown)s of %(count)s confirmed orders", {
      shown: orders.records.length,
      count: orders.count,
    });
  }

  get ordersTotals() {
    const orders = this.state.lists.orders;
    return _t("These %(shown)s: %(shown_total)s · all %(count)s: %(total)s", {
      shown: orders.records.length,
      shown_total: this.money(orders.shown_total),
      count: orders.count,
      total: this.money(orders.total),
    });
  }

  get hasRevenue() {
    const months = this.state.data?.revenue_by_month;
    return Boolean(
      months && [...months.ordered, ...months.invoiced].some((value) => value)
    );
  }

  // --- chart --------------------------------------------------------------

  renderChart() {
    this.chart?.destroy();
    this.chart = null;
    if (!this.canvasRef.el || !this.state.data || !window.Chart) {
      return;
    }
    const months = this.state.data.revenue_by_month;
    const labels = months.months.map((month) =>
      deserializeDate(month).toFormat("yyyy/MM")
    );
    const currencyId = this.currencyId;
    this.chart = new window.Chart(this.canvasRef.el, {
      type: "bar",
      data: {
        labels,
        datasets: [
          {
            label: _t("Ordered Revenue"),
            data: months.ordered,
            backgroundColor: getColor(1),
            borderColor: getColor(1),
          },
          {
            label: _t("Invoiced Revenue"),
            data: months.invoiced,
            backgroundColor: getColor(3),
            borderColor: getColor(3),
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {position: "top", align: "end"},
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: ${formatMonetary(item.raw, {currencyId})}`,
            },
          },
        },
        scales: {
          y: {
            beginAtZero: true,
            ticks: {
              callback: (value) =>
                formatMonetary(value, {currencyId, humanReadable: true}),
            },
          },
        },
      },
    });
  }

  // --- navigation ---------------------------------------------------------

  async openCustomerAction(method) {
    if (!method) {
      return;
    }
    const action = await this.orm.call("res.partner", method, [
      [this.state.data.customer.id],
    ]);
    await this.action.doAction(action);
  }

  openRecord(row) {
    return this.action.doAction({
      type: "ir.actions.act_window",
      res_model: row.res_model,
      res_id: row.id,
      views: [[false, "form"]],
      target: "current",
    });
  }

  openTimeline() {
    return this.action.doAction(
      "crm_order_unified.cou_timeline_event_action_timeline",
      {
        additionalContext: {cou_partner_id: this.state.data.customer.id},
      }
    );
  }
}

export const couCustomerOverview = {
  component: CouCustomerOverview,
};

registry.category("view_widgets").add("cou_customer_overview", couCustomerOverview);
