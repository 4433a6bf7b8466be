// Short dates for the addon's lists (timeline, customer overview): the user's
// language format without seconds; a format written with words (Japanese
// 2026年12月04日 17時36分) keeps its fields and their order, as numbers
// (2026/12/04 17:36), so that a date fits a list row.
import {formatDate, formatDateTime} from "@web/core/l10n/dates";
import {localization} from "@web/core/l10n/localization";

// Any character outside ASCII: a format written with words
const WORDS = /[^\u0020-\u007e]/;

export function compactDateFormat(format) {
  if (!WORDS.test(format)) {
    return format;
  }
  const fields = format.match(/y+|M+|d+/g);
  return fields && fields.length === 3 ? fields.join("/") : "yyyy/MM/dd";
}

export function compactTimeFormat(format) {
  if (!WORDS.test(format)) {
    return format;
  }
  const hour = (format.match(/[Hh]+/) || ["HH"])[0];
  return `${hour}:mm${format.includes("a") ? " a" : ""}`;
}

/** A date (luxon DateTime) in the user's language, short. */
export function formatShortDate(value) {
  return formatDate(value, {format: compactDateFormat(localization.dateFormat)});
}

/** A date and time (luxon DateTime) in the user's language, without seconds. */
export function formatShortDateTime(value) {
  return formatDateTime(value, {
    format: `${compactDateFormat(localization.dateFormat)} ${compactTimeFormat(
      localization.shortTimeFormat
    )}`,
  });
}

/** The time of day only (luxon DateTime), without seconds. */
export function formatShortTime(value) {
  return formatDateTime(value, {
    format: compactTimeFormat(localization.shortTimeFormat),
  });
}
