// [segment] Campaign funnel: recipients -> opened -> clicked -> ordered, drawn from the
// figures of the campaign form beside it; each step opens the recipients at that step.
import {formatInteger, formatPercentage} from "@web/views/fields/formatters";
import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

export class CouCampaignFunnel extends Component {
  static template = "crm_order_unified_segment.CampaignFunnel";
  static props = {...standardWidgetProps};

  setup() {
    this.orm = useService("orm");
    this.actionService = useService("action");
  }

  get steps() {
    const data = this.props.record.data;
    const steps = [
      {
        key: "recipients",
        label: _t("Recipients"),
        value: data.cou_recipient_count || 0,
        help: _t("Contacts a mailing of this campaign was sent to, each counted once."),
      },
      {
        key: "opened",
        label: _t("Opened"),
        value: data.cou_opened_count || 0,
        help: _t("Recipients who opened a mailing of this campaign."),
      },
      {
        key: "clicked",
        label: _t("Clicked"),
        value: data.cou_clicked_count || 0,
        help: _t("Recipients who clicked a link of a mailing of this campaign."),
      },
    ];
    // The ordering step needs sales rights: the field is only in the view for them
    if ("cou_ordering_recipient_count" in this.props.record.fields) {
      steps.push({
        key: "ordered",
        label: _t("Ordered"),
        value: data.cou_ordering_recipient_count || 0,
        help: _t(
          "Recipients whose customer placed a confirmed order attributed to this campaign."
        ),
      });
    }
    const top = steps[0].value;
    return steps.map((step) => ({
      ...step,
      display: formatInteger(step.value),
      width: top ? Math.max(6, (100 * step.value) / top) : 6,
      rate: top ? formatPercentage(step.value / top, {digits: [16, 1]}) : "",
    }));
  }

  async open(step) {
    const record = this.props.record;
    if (!record.resId || !step.value) {
      return;
    }
    if (record.isDirty && !(await record.save())) {
      return;
    }
    const action = await this.orm.call("utm.campaign", "action_cou_view_funnel_step", [
      [record.resId],
      step.key,
    ]);
    await this.actionService.doAction(action);
  }
}

export const couCampaignFunnel = {
  component: CouCampaignFunnel,
};

registry.category("view_widgets").add("cou_campaign_funnel", couCampaignFunnel);
