// What the amount of a timeline event is, for its tooltip (timeline, customer
// overview): an order's amount is its ordered revenue (untaxed, in the company
// currency at the order's rate, as the Ordered Revenue figure); invoices and
// payments show what the customer is billed and pays, taxes included.
import {_t} from "@web/core/l10n/translation";

export function eventAmountTitle(event) {
  if (!event.currency_id) {
    return "";
  }
  if (event.res_model === "sale.order") {
    return _t("Untaxed, in the company currency, as the Ordered Revenue");
  }
  return _t("Taxes included, in the currency of the document");
}
