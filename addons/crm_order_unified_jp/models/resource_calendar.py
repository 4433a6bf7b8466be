from datetime import date, datetime, time, timedelta

import pytz

from odoo import models

# 国民の祝日: fixed days, and "happy Monday" days as (month, nth Monday)
JP_FIXED_HOLIDAYS = {
    (1, 1): "元日",
    (2, 11): "建国記念の日",
    (2, 23): "天皇誕生日",
    (4, 29): "昭和の日",
    (5, 3): "憲法記念日",
    (5, 4): "みどりの日",
    (5, 5): "こどもの日",
    (8, 11): "山の日",
    (11, 3): "文化の日",
    (11, 23): "勤労感謝の日",
}
JP_MONDAY_HOLIDAYS = {
    (1, 2): "成人の日",
    (7, 3): "海の日",
    (9, 3): "敬老の日",
    (10, 2): "スポーツの日",
}


def jp_public_holidays(year):
    """{date: name} of the Japanese public holidays of ``year`` (祝日法): fixed
    days, happy Mondays, the equinoxes (the usual approximation, right from 1980
    to 2099), substitute holidays (振替休日) for a holiday on a Sunday and
    citizens' holidays (国民の休日) between two holidays."""
    days = {
        date(year, month, day): name for (month, day), name in JP_FIXED_HOLIDAYS.items()
    }
    for (month, nth), name in JP_MONDAY_HOLIDAYS.items():
        first = date(year, month, 1)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        days[monday + timedelta(weeks=nth - 1)] = name
    offset = 0.242194 * (year - 1980) - (year - 1980) // 4
    days[date(year, 3, int(20.8431 + offset))] = "春分の日"
    days[date(year, 9, int(23.2488 + offset))] = "秋分の日"
    for day in sorted(days):
        before, after = day + timedelta(days=1), day + timedelta(days=2)
        if after in days and before not in days and before.weekday() != 6:
            days[before] = "国民の休日"
    for day in sorted(days):
        if day.weekday() == 6:
            substitute = day + timedelta(days=1)
            while substitute in days:
                substitute += timedelta(days=1)
            days[substitute] = "振替休日"
    return days


class ResourceCalendar(models.Model):
    """Japanese public holidays as leaves of a working calendar, so that the
    working hours (SLA deadlines of the complaint teams, delivery lead times)
    skip them."""

    _inherit = "resource.calendar"

    # === BUSINESS METHODS === #

    def _cou_jp_leave_vals(self, name, first, last):
        """A leave of the whole calendar from ``first`` to ``last`` (dates, both
        included) in the calendar's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "Asia/Tokyo")
        start = tz.localize(datetime.combine(first, time.min))
        end = tz.localize(datetime.combine(last, time(23, 59, 59)))
        return {
            "name": name,
            "calendar_id": self.id,
            "company_id": self.company_id.id,
            "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
            "date_to": end.astimezone(pytz.utc).replace(tzinfo=None),
            "time_type": "leave",
        }

    def _cou_jp_add_public_holidays(self, years):
        """Add the Japanese public holidays of ``years`` to each calendar that
        does not have them yet (a day already starting a leave of the whole
        calendar is left alone). Returns the leaves created."""
        holidays = {}
        for year in years:
            holidays.update(jp_public_holidays(year))
        vals_list = []
        existing = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "in", self.ids), ("resource_id", "=", False)]
        )
        for calendar in self:
            taken = {
                leave.date_from for leave in existing if leave.calendar_id == calendar
            }
            for day, name in sorted(holidays.items()):
                vals = calendar._cou_jp_leave_vals(name, day, day)
                if vals["date_from"] not in taken:
                    vals_list.append(vals)
        return self.env["resource.calendar.leaves"].create(vals_list)
