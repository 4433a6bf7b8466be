import {Component, onWillStart, onWillUpdateProps, status, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

/**
 * The Suggested panel of the sale order and customer forms: the customer's
 * best product suggestions with the reason of each, and (on a quotation) a
 * button that adds the product as an order line.
 */
export class RecommendationPanel extends Component {
  static props = standardWidgetProps;
  static template = "crm_order_unified_recommendation.RecommendationPanel";

  setup() {
    this.orm = useService("orm");
    this.notification = useService("notification");
    // "added" counts the suggestions added here (tours wait on it)
    this.state = useState({
      loading: true,
      suggestions: [],
      canAdd: false,
      busy: false,
      added: 0,
    });
    this.lastKey = null;
    onWillStart(() => this.load(this.props.record));
    onWillUpdateProps((nextProps) => this.load(nextProps.record));
  }

  key(record) {
    const lines = record.data.order_line ? record.data.order_line.records.length : 0;
    return [
      record.resId,
      record.data.partner_id && record.data.partner_id.id,
      lines,
    ].join("/");
  }

  async load(record) {
    const key = this.key(record);
    if (key === this.lastKey) {
      return;
    }
    this.lastKey = key;
    if (!record.resId) {
      Object.assign(this.state, {loading: false, suggestions: [], canAdd: false});
      return;
    }
    const data = await this.orm.call(record.resModel, "cou_recommendation_panel_data", [
      [record.resId],
    ]);
    Object.assign(this.state, {
      loading: false,
      suggestions: data.suggestions,
      canAdd: data.can_add,
    });
  }

  async add(suggestion) {
    if (this.state.busy) {
      return;
    }
    this.state.busy = true;
    try {
      const record = this.props.record;
      if (await record.isDirty()) {
        await record.save();
      }
      await this.orm.call(record.resModel, "action_cou_recommendation_add", [
        [record.resId],
        suggestion.product_id,
        suggestion.kind,
      ]);
      this.lastKey = null;
      await record.load();
      await this.load(record);
      this.state.added++;
    } catch (error) {
      // The user left the tab while the line was being added: nothing to show
      if (status(this) !== "destroyed") {
        throw error;
      }
    } finally {
      if (status(this) !== "destroyed") {
        this.state.busy = false;
      }
    }
  }
}

export const recommendationPanel = {
  component: RecommendationPanel,
};

registry.category("view_widgets").add("cou_recommendation_panel", recommendationPanel);
