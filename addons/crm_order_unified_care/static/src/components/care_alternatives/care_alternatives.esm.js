import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * The alternatives suited to the customer, on a sale order line: one button
 * per product; a click puts it on the line instead of the current product
 * (the form's onchange recomputes price and description) and remembers the
 * product it replaced, which the server logs on the customer's timeline.
 */
export class CareAlternativesField extends Component {
  static template = "crm_order_unified_care.CareAlternativesField";
  static props = {...standardFieldProps};

  get alternatives() {
    return this.props.record.data[this.props.name].records.map((record) => ({
      id: record.resId,
      name: record.data.display_name,
    }));
  }

  get canSwap() {
    // The field is computed (read-only): buttons follow the line's state
    const state = this.props.record.data.state;
    return !state || ["draft", "sent"].includes(state);
  }

  get title() {
    return _t("Replace the product by this alternative suited to the customer");
  }

  async onSwap(ev, alternative) {
    ev.stopPropagation();
    const record = this.props.record;
    const current = record.data.product_id;
    await record.update({
      product_id: [alternative.id, alternative.name],
      cou_care_swapped_from_id: current ? [current[0], current[1]] : false,
    });
  }
}

export const careAlternativesField = {
  component: CareAlternativesField,
  displayName: _t("Care Alternatives"),
  supportedTypes: ["many2many"],
  relatedFields: () => [{name: "display_name", type: "char"}],
};

registry.category("fields").add("cou_care_alternatives", careAlternativesField);
