// Enters an order for the sensitive-skin demo customer: a regular foundation warns at once,
// with the sensitive range as alternatives; one click swaps to an alternative.
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";
import tourUtils from "@sale/js/tours/tour_utils";

const BANNER = ".o_crm_order_unified_care_banner_warning";

registry.category("web_tour.tours").add("crm_order_unified_care_tour", {
  url: "/odoo",
  steps: () => [
    ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
    ...tourUtils.createNewSalesOrder(),
    ...tourUtils.selectCustomer("Hana Sato"),
    ...tourUtils.addProduct("Radiance Liquid Foundation"),
    {
      content: "The warning shows at once on the order",
      trigger: `${BANNER}:contains(not made for sensitive skin)`,
    },
    {
      content: "The customer's care attributes are in the banner",
      trigger: `${BANNER} .o_field_widget[name='cou_customer_care_attribute_ids']:contains(Sensitive skin)`,
    },
    {
      content: "The line is marked",
      trigger: ".o_data_row .o_field_widget[name='care_level']:contains(Warning)",
    },
    {
      content: "Swap to an alternative of the sensitive range in one click",
      trigger:
        ".o_data_row .o_crm_order_unified_care_swap:contains(Sensitive Skin Mineral Foundation)",
      run: "click",
    },
    {
      content: "The line now holds the alternative",
      trigger:
        ".o_data_row .o_field_widget[name='product_template_id']:contains(Sensitive Skin Mineral Foundation), .o_data_row .o_field_widget[name='product_template_id'] input:value(Sensitive Skin Mineral Foundation)",
    },
    {
      content: "The warning is gone",
      trigger: `.o_form_view:not(:has(${BANNER}:visible))`,
    },
    ...stepUtils.saveForm(),
  ],
});
