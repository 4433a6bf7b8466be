// [segment] Opens the RFM matrix, reads a cell and clicks it through to its customers.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_unified_segment_rfm_matrix_tour", {
  steps: () => [
    {
      content: "The matrix shows the Champions cell with its customer",
      trigger:
        ".o_crm_order_unified_rfm_cell.o_crm_order_unified_rfm_champions[data-r='5'][data-fm='5'] .o_crm_order_unified_rfm_cell_count:contains(1)",
    },
    {
      content: "The legend lists the segment with its share of Ordered Revenue",
      trigger: ".o_crm_order_unified_rfm_legend_row:contains(Champions):contains(100%)",
    },
    {
      content: "An empty cell shows no customer",
      trigger:
        ".o_crm_order_unified_rfm_cell_empty[data-r='1'][data-fm='1'] .o_crm_order_unified_rfm_cell_count:contains(0)",
    },
    {
      content: "Open the customers of the cell",
      trigger: ".o_crm_order_unified_rfm_cell[data-r='5'][data-fm='5']",
      run: "click",
    },
    {
      content: "The customer list shows the cell's customer",
      trigger: ".o_list_view .o_data_row:contains(COU Matrix Champion)",
    },
    {
      content: "Only that customer",
      trigger: ".o_list_view:not(:has(.o_data_row:contains(COU Matrix Other)))",
    },
    {
      content: "Back to the matrix",
      trigger: ".o_breadcrumb .o_back_button, .breadcrumb-item:first a",
      run: "click",
    },
    {
      content: "The matrix is shown again",
      trigger: ".o_crm_order_unified_rfm_matrix .o_crm_order_unified_rfm_grid",
    },
  ],
});
