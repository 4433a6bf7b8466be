// Confirms the demo quotation of a product short of stock: the checks list the line
// with the date the planned receipt covers it, and the salesperson delivers all then.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_unified_order_flow_tour", {
  steps: () => [
    {
      content: "Confirm the quotation",
      trigger: ".o_form_view button[name='action_confirm']:visible",
      run: "click",
    },
    {
      content: "The checks list the line short of stock",
      trigger:
        ".modal .o_field_widget[name='line_ids'] .o_data_row:contains(Limited Edition Storm Lantern)",
    },
    {
      content: "With the date the planned receipt covers it",
      trigger: ".modal .o_field_widget[name='date_all_available']:not(:empty)",
    },
    {
      content: "Deliver everything on that date",
      trigger: ".modal button[name='action_move_date']",
      run: "click",
    },
    {
      content: "The order is confirmed",
      trigger:
        ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
    },
  ],
});
