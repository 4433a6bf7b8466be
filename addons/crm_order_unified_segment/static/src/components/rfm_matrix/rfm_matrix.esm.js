// [segment] The RFM matrix: recency score x frequency-monetary score, each cell coloured
// by the segment it maps to, with its customers' count and Ordered Revenue; a click
// opens the customers of the cell.
import {Component, onWillStart, useState, useSubEnv} from "@odoo/owl";
import {
  formatInteger,
  formatMonetary,
  formatPercentage,
} from "@web/views/fields/formatters";
import {Layout} from "@web/search/layout";
import {_t} from "@web/core/l10n/translation";
import {getDefaultConfig} from "@web/views/view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";

export class CouRfmMatrix extends Component {
  static template = "crm_order_unified_segment.RfmMatrix";
  static components = {Layout};
  static props = ["*"];

  setup() {
    useSubEnv({config: {...getDefaultConfig(), ...this.env.config}});
    useSetupAction();
    this.orm = useService("orm");
    this.actionService = useService("action");
    this.state = useState({data: null});
    this.fmScores = [1, 2, 3, 4, 5];
    onWillStart(() => this.load());
  }

  async load() {
    this.state.data = await this.orm.call("cou.rfm.score", "get_rfm_matrix", []);
  }

  money(value) {
    return formatMonetary(value, {
      currencyId: this.state.data.currency_id,
      digits: [16, 0],
    });
  }

  integer(value) {
    return formatInteger(value);
  }

  share(value) {
    return formatPercentage(value / 100, {digits: [16, 1]});
  }

  cellTitle(cell) {
    return _t(
      "%(segment)s: recency score %(r)s, frequency-monetary score %(fm)s. %(count)s customers, Ordered Revenue %(revenue)s over the RFM window. Click to see them.",
      {
        segment: cell.segment_name || _t("Not mapped"),
        r: cell.r_score,
        fm: cell.fm_score,
        count: this.integer(cell.count),
        revenue: this.money(cell.revenue),
      }
    );
  }

  async openCell(cell) {
    if (!cell.count) {
      return;
    }
    const action = await this.orm.call("cou.rfm.score", "action_open_rfm_cell", [
      cell.r_score,
      cell.fm_score,
    ]);
    await this.actionService.doAction(action);
  }

  async openSegment(segment) {
    if (!segment.segment_id) {
      return;
    }
    const action = await this.orm.call("cou.segment", "action_view_partners", [
      [segment.segment_id],
    ]);
    await this.actionService.doAction(action);
  }
}

registry.category("actions").add("crm_order_unified_segment.rfm_matrix", CouRfmMatrix);
