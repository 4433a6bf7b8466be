// [import] Order history import: upload the sample through the wizard, dry run,
// see the rejected rows, import; and a background run's progress followed live.
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

const DIALOG = ".modal .o_form_view";
const PROGRESS = ".o_field_cou_import_progressbar .o_progress";

async function uploadSample() {
  const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
    model: "ir.attachment",
    method: "search_read",
    args: [[["name", "=", "cou_import_tour_sample.csv"]], ["datas"]],
    kwargs: {},
  });
  const bytes = Uint8Array.from(atob(attachment.datas), (c) => c.charCodeAt(0));
  const file = new File([bytes], "history_sample.csv", {type: "text/csv"});
  const input = document.querySelector(
    `${DIALOG} .o_field_widget[name=file] input[type=file]`
  );
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event("change", {bubbles: true}));
}

registry.category("web_tour.tours").add("crm_order_unified_import_tour", {
  steps: () => [
    {
      content: "Upload the sample file in the wizard",
      trigger: `${DIALOG} .o_field_widget[name=file] .o_select_file_button`,
      run: uploadSample,
    },
    {
      content: "The file is loaded",
      trigger: `${DIALOG} .o_field_widget[name=file] input.o_input:value(history_sample.csv)`,
    },
    {
      content: "Next: read the columns",
      trigger: ".modal-footer button[name=action_load_file]",
      run: "click",
    },
    {
      content: "The generic preset is detected and maps the columns",
      trigger: `${DIALOG} .o_field_widget[name=col_order_ref] input:value(order_ref)`,
    },
    {
      content: "Dry run",
      trigger: ".modal-footer button[name=action_dry_run]",
      run: "click",
    },
    {
      content: "The dry run counts the rejected rows",
      trigger: `${DIALOG} .o_field_widget[name=rows_rejected]:contains(9)`,
    },
    {
      content: "and the orders to create",
      trigger: `${DIALOG} .o_field_widget[name=orders_count]:contains(4)`,
    },
    {
      content: "Each rejected row is explained",
      trigger: `${DIALOG} .o_field_widget[name=summary_html] td:contains(Zero price)`,
    },
    {
      content: "Import",
      trigger: ".modal-footer button[name=action_import].btn-primary",
      run: "click",
    },
    {
      content: "The import is done",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Done)",
    },
    {
      content: "Its orders are there",
      trigger: ".oe_stat_button[name=action_view_orders]:contains(4)",
    },
  ],
});

registry.category("web_tour.tours").add("crm_order_unified_import_progress_tour", {
  steps: () => [
    {
      content: "A running import shows its progress",
      trigger: `${PROGRESS}[aria-valuenow='0']`,
    },
    {
      content: "The background worker commits a batch",
      trigger: ".o_form_view .o_field_widget[name=lines_created]:contains(0)",
      async run() {
        // The worker writes its progress itself (the client may not): a server
        // action of the test stands for it
        const [action] = await rpc(
          "/web/dataset/call_kw/ir.actions.server/search_read",
          {
            model: "ir.actions.server",
            method: "search_read",
            args: [[["name", "=", "Tour: the import worker commits a batch"]], ["id"]],
            kwargs: {},
          }
        );
        await rpc("/web/dataset/call_kw/ir.actions.server/run", {
          model: "ir.actions.server",
          method: "run",
          args: [[action.id]],
          kwargs: {},
        });
      },
    },
    {
      content: "The bar follows without reloading the page",
      trigger: `${PROGRESS}[aria-valuenow='50']`,
    },
    {
      content: "and so do the counters",
      trigger: ".o_form_view .o_field_widget[name=lines_created]:contains(5)",
    },
  ],
});
