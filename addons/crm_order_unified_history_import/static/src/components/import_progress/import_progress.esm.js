import {
  ProgressBarField,
  progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";
import {onMounted, onWillUnmount} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";

/**
 * Progress bar of an order history import that follows a background run
 * live: while the record is queued or running, it reloads the record every
 * few seconds (the import commits its counters after each batch), so the
 * bar, the counters and the report update without reloading the page.
 */
export class CouImportProgressField extends ProgressBarField {
  static props = {
    ...ProgressBarField.props,
    pollInterval: {type: Number, optional: true},
  };

  setup() {
    super.setup();
    this.reloading = false;
    onMounted(() => {
      this.timer = setInterval(() => this.refresh(), this.props.pollInterval || 2000);
    });
    onWillUnmount(() => clearInterval(this.timer));
  }

  get isRunning() {
    return ["queued", "running"].includes(this.props.record.data.state);
  }

  async refresh() {
    const {record} = this.props;
    if (this.reloading || !this.isRunning || record.dirty) {
      return;
    }
    this.reloading = true;
    try {
      await record.load();
    } finally {
      this.reloading = false;
    }
  }
}

export const couImportProgressField = {
  ...progressBarField,
  component: CouImportProgressField,
  fieldDependencies: [{name: "state", type: "selection"}],
  displayName: _t("Import Progress"),
  supportedOptions: [
    ...progressBarField.supportedOptions,
    {
      label: _t("Refresh interval (ms)"),
      name: "poll_interval",
      type: "number",
    },
  ],
  extractProps: (fieldInfo, dynamicInfo) => ({
    ...progressBarField.extractProps(fieldInfo, dynamicInfo),
    pollInterval: fieldInfo.options.poll_interval,
  }),
};

registry.category("fields").add("cou_import_progressbar", couImportProgressField);
