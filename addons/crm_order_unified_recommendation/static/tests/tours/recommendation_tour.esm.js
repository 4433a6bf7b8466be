// Opens a demo quotation, reads its suggestions and their reasons, adds one.
import {registry} from "@web/core/registry";

const PANEL = ".o_crm_order_unified_recommendation_panel";

registry.category("web_tour.tours").add("crm_order_unified_recommendation_tour", {
  steps: () => [
    {
      content: "The quotation shows the Suggested tab",
      trigger: ".o_form_view .o_notebook a.nav-link[name='cou_recommendation']",
      run: "click",
    },
    {
      content: "Each suggestion says why",
      trigger: `${PANEL} .o_crm_order_unified_recommendation_row .o_crm_order_unified_recommendation_reason:contains(customers)`,
    },
    {
      content: "Add the first suggestion to the quotation",
      trigger: `${PANEL} .o_crm_order_unified_recommendation_row:first .o_crm_order_unified_recommendation_add`,
      run: "click",
    },
    {
      content: "The line is added and the suggestions reloaded",
      trigger: `${PANEL}[data-added='1']`,
    },
    {
      content: "Back to the order lines",
      trigger: ".o_form_view .o_notebook a.nav-link[name='order_lines']",
      run: "click",
    },
    {
      content: "The suggested product is on the quotation",
      trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row",
    },
    {
      content: "The form is saved",
      trigger:
        ".o_form_view .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:visible))",
    },
  ],
});
