// [dashboard] Opens the app on its dashboard, reads a figure, clicks through to its list.
import {registry} from "@web/core/registry";

const DASHBOARD = ".o_crm_order_unified_dashboard";

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
      content: "Back to the dashboard",
      trigger: ".o_breadcrumb .breadcrumb-item a",
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
