// [timeline] Opens a customer's timeline, loads more, searches, filters, opens an invoice.
import {registry} from "@web/core/registry";

const EVENT = ".o_crm_order_unified_timeline_event";

registry.category("web_tour.tours").add("crm_order_unified_timeline_tour", {
  steps: () => [
    {
      content: "Open the customer's timeline",
      trigger: ".o_form_view .oe_stat_button:contains(Timeline)",
      run: "click",
    },
    {
      content: "The newest messages show, grouped by day",
      trigger: `.o_crm_order_unified_timeline_day ${EVENT}:contains(Tour message 60)`,
    },
    {
      content: "The oldest message is not on the first page",
      trigger: `.o_crm_order_unified_timeline:not(:has(${EVENT}:contains(Tour message 01)))`,
    },
    {
      content: "Load more",
      trigger: ".o_crm_order_unified_timeline_load_more",
      run: "click",
    },
    {
      content: "The next page is appended",
      trigger: `${EVENT}:contains(Tour message 01)`,
    },
    {
      content: "Search in titles",
      trigger: ".o_crm_order_unified_timeline_search",
      run: "edit Tour message 07 && press Enter",
    },
    {
      content: "Only the matching event is left",
      trigger: `.o_crm_order_unified_timeline:not(:has(${EVENT}:contains(Tour message 08))) ${EVENT}:contains(Tour message 07)`,
    },
    {
      content: "Clear the search",
      trigger: ".o_crm_order_unified_timeline_filters .btn-link",
      run: "click",
    },
    {
      content: "Filter on invoices",
      trigger: ".o_crm_order_unified_timeline_filter[data-category=invoice]",
      run: "click",
    },
    {
      content: "Only invoice events are left; open the invoice",
      trigger: `.o_crm_order_unified_timeline:not(:has(${EVENT}[data-res-model='res.partner'])) ${EVENT}[data-res-model='account.move']`,
      run: "click",
    },
    {
      content: "The invoice form is open",
      trigger: ".o_form_view .o_breadcrumb .active:contains(INV/)",
    },
  ],
});
