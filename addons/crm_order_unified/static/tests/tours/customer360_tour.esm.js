// [foundation] Opens a sale order, reads its customer context, clicks through to the customer.
import {registry} from "@web/core/registry";

const CONTEXT = ".o_crm_order_unified_customer_context";

registry.category("web_tour.tours").add("crm_order_unified_customer360_tour", {
  steps: () => [
    {
      content: "The order shows the Customer tab",
      trigger: ".o_form_view .o_notebook a.nav-link[name='cou_customer_context']",
      run: "click",
    },
    {
      content: "The customer's figures: two confirmed orders",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_order_count']:contains(2)`,
    },
    {
      content: "The customer's invoiced revenue",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_lifetime_revenue']:contains(150.00)`,
    },
    {
      content: "The customer's ordered revenue",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_ordered_revenue']:contains(150.00)`,
    },
    {
      content: "The customer's internal note",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_comment']:contains(Tour note: call before delivery)`,
    },
    {
      content: "The last orders of the customer",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_recent_order_ids'] .o_data_row:contains(Tour Customer Order B)`,
    },
    {
      content: "The open deliveries of the customer",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_open_picking_ids'] .o_data_row`,
    },
    {
      content: "The unpaid invoices of the customer",
      trigger: `${CONTEXT} .o_field_widget[name='cou_customer_unpaid_invoice_ids'] .o_data_row`,
    },
    {
      content: "Click through to the customer",
      trigger: ".o_form_view .oe_stat_button[name='action_cou_view_customer']",
      run: "click",
    },
    {
      content: "The customer's form is open",
      trigger: ".o_breadcrumb .active:contains(COU Tour Customer)",
    },
    {
      content: "Open its Customer 360 tab",
      trigger: ".o_form_view .o_notebook a.nav-link[name='customer_360']",
      run: "click",
    },
    {
      content: "The same figures in the customer's overview",
      trigger:
        ".o_crm_order_unified_overview [data-figure='customer_order_count']:contains(2)",
    },
  ],
});
