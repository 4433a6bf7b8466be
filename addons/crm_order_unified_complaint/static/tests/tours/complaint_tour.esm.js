// [complaint] Files a complaint from a sale order, moves it through the kanban and closes it.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_unified_complaint_tour", {
  steps: () => [
    {
      content: "File a complaint from the order",
      trigger: ".o_form_view .o_form_statusbar button[name=action_cou_file_complaint]",
      run: "click",
    },
    {
      content: "The order filled the customer",
      trigger:
        ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Complaint Customer)",
    },
    {
      content: "Describe the complaint",
      trigger: ".o_form_view .o_field_widget[name=name] input",
      run: "edit Tour: lamp arrived broken",
    },
    {
      content: "Save",
      trigger: ".o_form_view .o_form_button_save",
      run: "click",
    },
    {
      content: "Saved with a reference",
      trigger: ".o_form_view .o_field_widget[name=reference]:contains(CMP/)",
    },
    {
      content: "Open the Customer Hub app",
      trigger: ".o_navbar_apps_menu button",
      run: "click",
    },
    {
      content: "Customer Hub",
      trigger:
        ".o_app[data-menu-xmlid='crm_order_unified.crm_order_unified_menu_root']",
      run: "click",
    },
    {
      content: "Complaints menu",
      trigger:
        ".o_menu_sections [data-menu-xmlid='crm_order_unified_complaint.cou_complaint_menu_main']",
      run: "click",
    },
    {
      content: "All complaints (kanban)",
      trigger:
        ".dropdown-item[data-menu-xmlid='crm_order_unified_complaint.cou_complaint_menu']",
      run: "click",
    },
    {
      content: "Move the complaint to In Progress",
      trigger: ".o_kanban_record:contains(Tour: lamp arrived broken)",
      run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains(In Progress)))",
    },
    {
      content: "It is in the In Progress column",
      trigger:
        ".o_kanban_group:has(.o_column_title:contains(In Progress)) .o_kanban_record:contains(Tour: lamp arrived broken)",
      run: "click",
    },
    {
      content: "Open the resolution tab",
      trigger: ".o_form_view .o_notebook .nav-link:contains(Resolution)",
      run: "click",
    },
    {
      content: "Choose a replacement",
      trigger: ".o_form_view .o_field_widget[name=resolution_type] select",
      run: 'select "replacement"',
    },
    {
      content: "Close the complaint",
      trigger: ".o_form_view .o_form_statusbar button[name=action_close]",
      run: "click",
    },
    {
      content: "It is resolved",
      trigger:
        ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Resolved)",
    },
  ],
});

// [complaint] Opens the complaint team overview (the complaint menu's first entry) and
// clicks a team's "Overdue" figure through to the complaints behind it.
registry.category("web_tour.tours").add("crm_order_unified_complaint_overview_tour", {
  steps: () => [
    {
      content: "Open the Customer Hub app",
      trigger: ".o_navbar_apps_menu button",
      run: "click",
    },
    {
      content: "Customer Hub",
      trigger:
        ".o_app[data-menu-xmlid='crm_order_unified.crm_order_unified_menu_root']",
      run: "click",
    },
    {
      content: "Complaints menu",
      trigger:
        ".o_menu_sections [data-menu-xmlid='crm_order_unified_complaint.cou_complaint_menu_main']",
      run: "click",
    },
    {
      content: "The overview is the first entry",
      trigger:
        ".dropdown-item[data-menu-xmlid='crm_order_unified_complaint.cou_complaint_team_menu_dashboard']",
      run: "click",
    },
    {
      content: "The team's card shows its figures",
      trigger:
        ".o_crm_order_unified_complaint_team_dashboard .o_kanban_record:contains(Tour Overview Team):contains(Average first response):contains(Satisfaction)",
    },
    {
      content: "Click the Overdue figure",
      trigger:
        ".o_kanban_record:contains(Tour Overview Team) .o_crm_order_unified_complaint_team_figures button:contains(Overdue):contains(1)",
      run: "click",
    },
    {
      content: "The list of the overdue complaints",
      trigger: ".o_breadcrumb:contains(Overdue)",
    },
    {
      content: "It lists the overdue complaint",
      trigger: ".o_list_view .o_data_row:contains(Tour: overdue complaint)",
    },
    {
      content: "and not the fresh one",
      trigger: ".o_list_view:not(:contains(Tour: fresh complaint))",
    },
  ],
});
