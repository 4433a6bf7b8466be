// A salesperson of the Japanese company, working in Japanese: the care warning of a
// sensitive-skin customer, the customer context and the timeline read in Japanese.
import {registry} from "@web/core/registry";

const BANNER = ".o_crm_order_unified_care_banner_warning";

registry.category("web_tour.tours").add("crm_order_unified_jp_tour", {
  steps: () => [
    {
      content: "The quotation reads in Japanese (sales' own words too)",
      trigger: ".o_form_view .o_statusbar_status:contains(見積)",
    },
    {
      content: "The care warning shows at once, in Japanese",
      trigger: `${BANNER}:contains(敏感肌向けではありません)`,
    },
    {
      content: "The customer's care attribute is in the banner",
      trigger: `${BANNER} .o_field_widget[name='cou_customer_care_attribute_ids']:contains(敏感肌)`,
    },
    {
      content: "The line shows the product's Japanese name",
      trigger: ".o_data_row:contains(ラディアンス リキッドファンデーション)",
    },
    {
      content: "Open the Customer tab",
      trigger: ".o_notebook .nav-link:contains(顧客)",
      run: "click",
    },
    {
      content: "The customer context: her orders and care attributes",
      trigger:
        ".o_notebook .tab-pane.active:contains(佐藤 花子):contains(ケア属性):contains(敏感肌)",
    },
    {
      content: "Open the customer's timeline",
      trigger: ".o_form_view .oe_stat_button:contains(タイムライン)",
      run: "click",
    },
    {
      content: "The timeline's title and events are in Japanese",
      trigger: ".o_crm_order_unified_timeline_title:contains(タイムライン)",
    },
    {
      content: "Shipments read 出荷済, invoices 請求書",
      trigger:
        ".o_crm_order_unified_timeline:has(.o_crm_order_unified_timeline_event:contains(出荷済)):has(.o_crm_order_unified_timeline_event:contains(請求書))",
    },
    {
      content: "Her complaint (お客様相談室) is on the timeline",
      trigger: ".o_crm_order_unified_timeline_event:contains(頬に赤み)",
    },
  ],
});
