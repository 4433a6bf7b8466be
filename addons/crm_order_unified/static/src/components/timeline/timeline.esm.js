// [timeline] Customer timeline: one stream of events per customer, newest first.
import {Component, onWillStart, useState, useSubEnv} from "@odoo/owl";
import {deserializeDateTime, serializeDateTime} from "@web/core/l10n/dates";
import {
  formatShortDate,
  formatShortTime,
} from "@crm_order_unified/core/short_dates.esm";
import {Layout} from "@web/search/layout";
import {_t} from "@web/core/l10n/translation";
import {eventAmountTitle} from "@crm_order_unified/core/event_amounts.esm";
import {formatMonetary} from "@web/views/fields/formatters";
import {getDefaultConfig} from "@web/views/view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";

const {DateTime} = luxon;

const PAGE_SIZE = 50;

export class CouTimeline extends Component {
  static template = "crm_order_unified.Timeline";
  static components = {Layout};
  static props = ["*"];

  setup() {
    useSubEnv({config: {...getDefaultConfig(), ...this.env.config}});
    useSetupAction();
    this.orm = useService("orm");
    this.actionService = useService("action");
    const context = this.props.action?.context || {};
    this.partnerId =
      context.cou_partner_id ||
      (context.active_model === "res.partner" ? context.active_id : false);
    this.categories = [];
    this.icons = {};
    this.state = useState({
      partner: null,
      events: [],
      nextCursor: false,
      loading: false,
      selected: [],
      dateFrom: "",
      dateTo: "",
      search: "",
    });
    onWillStart(async () => {
      if (!this.partnerId) {
        return;
      }
      // Categories and icons come from the server: features that add
      // sources (complaints, campaigns...) extend them there.
      const config = await this.orm.call(
        "cou.timeline.event",
        "get_timeline_config",
        []
      );
      this.categories = config.categories;
      this.icons = config.icons;
      await this.reload();
    });
  }

  // --- data ---------------------------------------------------------------

  _params(cursor) {
    const toUtc = (isoDate, plusDays = 0) =>
      isoDate
        ? serializeDateTime(
            DateTime.fromISO(isoDate).startOf("day").plus({days: plusDays})
          )
        : false;
    return {
      categories: this.state.selected.length ? this.state.selected : false,
      date_from: toUtc(this.state.dateFrom),
      date_to: toUtc(this.state.dateTo, 1),
      search: this.state.search.trim() || false,
      cursor: cursor || false,
      limit: PAGE_SIZE,
    };
  }

  async _fetch(cursor) {
    if (!this.partnerId) {
      return null;
    }
    this.state.loading = true;
    try {
      return await this.orm.call(
        "cou.timeline.event",
        "get_timeline_page",
        [this.partnerId],
        this._params(cursor)
      );
    } finally {
      this.state.loading = false;
    }
  }

  async reload() {
    const page = await this._fetch(false);
    if (page) {
      this.state.partner = page.partner;
      this.state.events = page.events;
      this.state.nextCursor = page.next_cursor;
    }
  }

  async loadMore() {
    if (!this.state.nextCursor || this.state.loading) {
      return;
    }
    const page = await this._fetch(this.state.nextCursor);
    if (page) {
      this.state.events.push(...page.events);
      this.state.nextCursor = page.next_cursor;
    }
  }

  // --- rendering helpers --------------------------------------------------

  get title() {
    return this.state.partner
      ? _t("Timeline: %(customer)s", {customer: this.state.partner.name})
      : _t("Customer Timeline");
  }

  get days() {
    const days = [];
    let current = null;
    for (const event of this.state.events) {
      const local = deserializeDateTime(event.date);
      const key = local.toISODate();
      if (!current || current.key !== key) {
        // The user's date format (short) and the weekday
        current = {
          key,
          label: `${formatShortDate(local)} (${local.toFormat("ccc")})`,
          events: [],
        };
        days.push(current);
      }
      current.events.push({
        ...event,
        time: formatShortTime(local),
        icon: this.icons[event.event_type] || "fa-circle-o",
        amountText: event.currency_id
          ? formatMonetary(event.amount, {currencyId: event.currency_id})
          : "",
        amountTitle: eventAmountTitle(event),
      });
    }
    return days;
  }

  // --- handlers -----------------------------------------------------------

  toggleCategory(key) {
    const index = this.state.selected.indexOf(key);
    if (index >= 0) {
      this.state.selected.splice(index, 1);
    } else {
      this.state.selected.push(key);
    }
    this.reload();
  }

  onDateChange(field, ev) {
    this.state[field] = ev.target.value;
    this.reload();
  }

  onSearchKeydown(ev) {
    if (ev.key === "Enter") {
      this.state.search = ev.target.value;
      this.reload();
    }
  }

  onSearchChange(ev) {
    if (this.state.search !== ev.target.value) {
      this.state.search = ev.target.value;
      this.reload();
    }
  }

  clearFilters() {
    Object.assign(this.state, {selected: [], dateFrom: "", dateTo: "", search: ""});
    this.reload();
  }

  openEvent(event) {
    this.actionService.doAction({
      type: "ir.actions.act_window",
      res_model: event.res_model,
      res_id: event.res_id,
      views: [[false, "form"]],
      target: "current",
    });
  }
}

registry.category("actions").add("crm_order_unified.timeline", CouTimeline);
