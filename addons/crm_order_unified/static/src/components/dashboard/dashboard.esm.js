// [dashboard] The Customer Hub dashboard: live figures and charts, each opening its records.
import {Component, onWillStart, useState, useSubEnv} from "@odoo/owl";
import {
  formatInteger,
  formatMonetary,
  formatPercentage,
} from "@web/views/fields/formatters";
import {CouDashboardChart} from "./dashboard_chart.esm";
import {Layout} from "@web/search/layout";
import {getDefaultConfig} from "@web/views/view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";

export class CouDashboard extends Component {
  static template = "crm_order_unified.Dashboard";
  static components = {Layout, CouDashboardChart};
  static props = ["*"];

  setup() {
    useSubEnv({config: {...getDefaultConfig(), ...this.env.config}});
    useSetupAction();
    this.orm = useService("orm");
    this.actionService = useService("action");
    this.state = useState({data: null});
    onWillStart(() => this.load());
  }

  async load() {
    this.state.data = await this.orm.call("cou.dashboard", "get_dashboard_data", []);
  }

  format(value, format) {
    if (format === "monetary") {
      return formatMonetary(value, {
        currencyId: this.state.data.currency_id,
        digits: [16, 0],
      });
    }
    if (format === "percent") {
      return formatPercentage(value, {digits: [16, 1]});
    }
    return formatInteger(value);
  }

  /** Change against the compared value, as "+12.3 %" (empty when it cannot be told). */
  change(card) {
    const before = card.compare && card.compare.value;
    if (!before) {
      return "";
    }
    const ratio = (card.value - before) / Math.abs(before);
    return `${ratio >= 0 ? "+" : ""}${formatPercentage(ratio, {digits: [16, 1]})}`;
  }

  open(action) {
    if (action) {
      this.actionService.doAction(action);
    }
  }
}

registry.category("actions").add("crm_order_unified.dashboard", CouDashboard);
