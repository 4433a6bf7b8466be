// [segment] Builds a rule segment with the domain editor, then sends a test mailing to it.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_unified_segment_tour", {
  steps: () => [
    {
      content: "Create a segment from the segment kanban",
      trigger: ".o_control_panel .o-kanban-button-new",
      run: "click",
    },
    {
      content: "Name it",
      trigger: ".o_field_widget[name='name'] input",
      run: "edit Tour Segment",
    },
    {
      content: "It is a rule segment by default: write its filter in the domain editor",
      trigger:
        ".o_field_widget[name='domain'] .o_domain_selector_debug_container textarea",
      run: `edit [("ref", "=", "COUTOUR")]`,
    },
    {
      content: "Save",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "Members are computed at once: the two companies, not their contact",
      trigger: "button[name='action_view_members'] .o_stat_value:contains(2)",
    },
    {
      content: "Send a mailing to the segment",
      trigger: "button[name='action_create_mailing']",
      run: "click",
    },
    {
      content: "The mailing targets the segment",
      trigger: ".o_field_widget[name='cou_segment_id'] input:value(Tour Segment)",
    },
    {
      // As Odoo's own mailing tours do: wait until the mail editor has
      // loaded, then pick a theme; saving while the editor still starts
      // makes it crash now and then
      content: "Pick the basic theme once the mail editor is ready",
      trigger: ":iframe #basic",
      run: "click",
    },
    {
      content: "The editor shows the theme",
      trigger: ":iframe .o_layout",
    },
    {
      content: "Subject",
      trigger: ".o_field_widget[name='subject'] input",
      run: "edit Hello Tour Segment",
    },
    {
      content: "Save the mailing",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "Saved",
      trigger: ".o_form_view .o_form_saved",
    },
    {
      content: "Send a test",
      trigger: "button[name='action_test']",
      run: "click",
    },
    {
      content: "Test address",
      trigger: ".modal .o_field_widget[name='email_to'] textarea",
      run: "edit tour.segment@example.com",
    },
    {
      content: "Send the test",
      trigger: ".modal button[name='send_mail_test']",
      run: "click",
    },
    {
      content: "The test wizard is closed",
      trigger: "body:not(:has(.modal))",
    },
  ],
});
