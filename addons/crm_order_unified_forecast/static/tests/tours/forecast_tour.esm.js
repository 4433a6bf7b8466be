// [forecast] A planner on the demo data: the actual-versus-forecast graph of the
// heat-wave category with its method and backtest errors, a call for a customer due
// to reorder, and the replenishment proposal from the forecast.
import {registry} from "@web/core/registry";

const MENU = "crm_order_unified_forecast";

registry.category("web_tour.tours").add("crm_order_unified_forecast_tour", {
  steps: () => [
    {
      content: "The latest monthly category forecasts open as a line graph",
      trigger: ".o_graph_view .o_graph_renderer canvas",
    },
    {
      content: "Look for the heat-wave category",
      trigger: ".o_searchview_input",
      run: "edit Ice Cream",
    },
    {
      content: "Search it as a product category",
      trigger: ".o_searchview_autocomplete .o_menu_item:contains(Product Category)",
      run: "click",
    },
    {
      content: "The graph shows that category",
      trigger: ".o_searchview_facet:contains(Ice Cream)",
    },
    {
      content: "Its actuals and forecasts, one line each",
      trigger: ".o_graph_view .o_graph_renderer canvas",
    },
    {
      content: "Open the list to see how far to trust each forecast",
      trigger: ".o_control_panel .o_switch_view.o_list",
      run: "click",
    },
    {
      content: "The forecast rows show the method chosen on the driver",
      trigger:
        ".o_list_view .o_data_row:has(td[name='row_type']:contains(Forecast)) td[name='method']:contains(arima_x)",
    },
    {
      content: "with its backtest sMAPE",
      trigger:
        ".o_list_view .o_data_row:has(td[name='method']:contains(arima_x)) td[name='backtest_smape']:not(:empty)",
    },
    {
      content: "and its MASE, below 1: it beats seasonal-naive",
      trigger:
        ".o_list_view .o_data_row:has(td[name='method']:contains(arima_x)) td[name='backtest_mase'].text-success",
    },
    {
      content: "Forecasts menu",
      trigger: `.o_menu_sections [data-menu-xmlid='${MENU}.cou_forecast_menu_main']`,
      run: "click",
    },
    {
      content: "Customers due to reorder",
      trigger: `.dropdown-item[data-menu-xmlid='${MENU}.res_partner_menu_cou_due_to_reorder']`,
      run: "click",
    },
    {
      content: "The most likely customer first, with its probability",
      trigger:
        ".o_list_view .o_data_row:first-child td[name='customer_reorder_probability']:contains(%)",
    },
    {
      content: "Schedule a call with it",
      trigger:
        ".o_list_view .o_data_row:first-child button[name='action_cou_schedule_reorder_call']",
      run: "click",
    },
    {
      content: "The call is planned",
      trigger: ".o_notification:contains(Call scheduled with)",
    },
    {
      content: "Forecasts menu",
      trigger: `.o_menu_sections [data-menu-xmlid='${MENU}.cou_forecast_menu_main']`,
      run: "click",
    },
    {
      content: "Replenishment from the forecast",
      trigger: `.dropdown-item[data-menu-xmlid='${MENU}.stock_warehouse_orderpoint_menu_cou_forecast']`,
      run: "click",
    },
    {
      content:
        "Odoo's replenishment list proposes the ice cream from its forecast demand",
      trigger:
        ".o_list_view .o_data_row:contains(Vanilla Ice Cream Tub) td[name='cou_forecast_demand']:not(:contains(0.00))",
    },
    {
      content: "with a quantity to order, for the user to confirm",
      trigger:
        ".o_list_view .o_data_row:contains(Vanilla Ice Cream Tub) button[name='action_replenish']",
    },
  ],
});
