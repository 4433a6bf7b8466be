// [dashboard] Opens the app on its dashboard, reads a figure, clicks through to
// its list, opens a customer of that list on its overview (Customer 360 tab).
import {registry} from "@web/core/registry";

const DASHBOARD = ".o_crm_order_unified_dashboard";
const OVERVIEW = ".o_crm_order_unified_overview";

registry.category("web_tour.tours").add("crm_order_unified_dashboard_tour", {
  steps: () => [
    {
      content: "Open the apps menu",
      trigger: ".o_navbar_apps_menu button",
      run: "click",
    },
    {
      content: "Open the Customer Hub app",
      trigger:
        ".o_app[data-menu-xmlid='crm_order_unified.crm_order_unified_menu_root']",
      run: "click",
    },
    {
      content: "The app opens on its dashboard: ordered revenue this year",
      trigger: `${DASHBOARD} .o_crm_order_unified_dashboard_card_revenue_year .o_crm_order_unified_dashboard_card_value`,
    },
    {
      content: "The revenue chart is drawn",
      trigger: `${DASHBOARD} .o_crm_order_unified_dashboard_chart_revenue_by_month canvas`,
    },
    {
      content: "Click the figure",
      trigger: `${DASHBOARD} .o_crm_order_unified_dashboard_card_customers_new`,
      run: "click",
    },
    {
      content: "The list behind the figure: the new customers",
      trigger: ".o_list_view .o_data_row:contains(COU Dashboard Tour Customer)",
    },
    {
      content: "Its name in the breadcrumbs",
      trigger: ".o_breadcrumb:contains(New Customers)",
    },
    {
      content: "Open the customer from the list",
      trigger:
        ".o_list_view .o_data_row:contains(COU Dashboard Tour Customer) .o_data_cell",
      run: "click",
    },
    {
      content: "Open its overview, the Customer 360 tab",
      trigger: ".o_form_view .o_notebook a.nav-link[name='customer_360']",
      run: "click",
    },
    {
      content: "The overview's figures: the ordered revenue of its order",
      trigger: `${OVERVIEW} [data-figure='customer_ordered_revenue']:contains(30.00)`,
    },
    {
      content: "Its revenue by month as a chart",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_chart canvas`,
    },
    {
      content: "Its last orders, read after the first paint",
      trigger: `${OVERVIEW} .o_crm_order_unified_overview_orders .o_crm_order_unified_overview_row`,
    },
    {
      content: "Back to the dashboard",
      trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
      run: "click",
    },
    {
      content: "Open the orders of this month from its figure",
      trigger: `${DASHBOARD} .o_crm_order_unified_dashboard_card_revenue_month`,
      run: "click",
    },
    {
      content: "The orders of the month, the tour's order among them",
      trigger: ".o_list_view .o_data_row:contains(COU Dashboard Tour Customer)",
    },
  ],
});
