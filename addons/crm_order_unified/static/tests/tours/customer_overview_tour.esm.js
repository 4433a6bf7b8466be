// Opens a customer's overview (Customer 360 tab), reads its figures, chart,
// last orders and open items, and follows the link of one order.
import {registry} from "@web/core/registry";

const OVERVIEW = ".o_crm_order_unified_overview";

registry.category("web_tour.tours").add("crm_order_unified_customer_overview_tour", {
  steps: () => [
    {
      content: "Open the Customer 360 tab",
      trigger: ".o_form_view .o_notebook a.nav-link[name='customer_360']",
      run: "click",
    },
    {
      content: "Ordered Revenue: the two confirmed orders",
      trigger: `${OVERVIEW} [data-figure='customer_ordered_revenue']:contains(150.00)`,
    },
    {
      content: "Invoiced Revenue: the invoiced order only",
      trigger: `${OVERVIEW} [data-figure='customer_lifetime_revenue']:contains(100.00)`,
    },
    {
      content: "The revenue of the last 24 months as a chart",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_chart canvas`,
    },
    {
      content: "The last orders say what they list",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_orders h5:contains(Last 2 of 2 confirmed orders)`,
    },
    {
      content: "The open deliveries of the customer",
      trigger: `${OVERVIEW} [data-section='deliveries'] .o_crm_order_unified_overview_row`,
    },
    {
      content: "The last events of its timeline",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_event`,
    },
    {
      content: "Follow the link of an order",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_orders .o_crm_order_unified_overview_row:contains(Tour Overview Order B)`,
      run: "click",
    },
    {
      content: "The order is open, over the customer in the breadcrumbs",
      trigger: ".o_breadcrumb:contains(COU Overview Customer) .active:contains(S0)",
    },
    {
      content: "It is the order of the row: its sales order status",
      trigger:
        ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
    },
  ],
});
