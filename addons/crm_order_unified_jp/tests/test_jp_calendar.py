from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified_jp.models.resource_calendar import (
    jp_public_holidays,
)

# 9:00-12:00 and 13:00-18:00, Monday to Friday
HALF_DAYS = ((9, 12, "morning"), (13, 18, "afternoon"))


@tagged("post_install", "-at_install")
class TestTokyoCalendar(TransactionCase):
    """A working calendar in Asia/Tokyo with the Japanese public holidays: the
    working hours (and so the complaint SLA deadlines) skip them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "COU Tokyo",
                "tz": "Asia/Tokyo",
                "attendance_ids": [
                    (0, 0, {"name": f"{day} {start}", "dayofweek": str(day),
                            "hour_from": start, "hour_to": end, "day_period": period})
                    for day in range(5)
                    for start, end, period in HALF_DAYS
                ],
            }
        )  # fmt: skip

    def test_public_holidays(self):
        days = jp_public_holidays(2026)
        self.assertEqual(len(days), 18)
        self.assertEqual(days[date(2026, 1, 12)], "成人の日")
        self.assertEqual(days[date(2026, 3, 20)], "春分の日")
        self.assertEqual(days[date(2026, 5, 6)], "振替休日")  # 憲法記念日 on a Sunday
        self.assertEqual(days[date(2026, 9, 22)], "国民の休日")  # between two holidays
        self.assertEqual(days[date(2026, 9, 23)], "秋分の日")
        days = jp_public_holidays(2025)
        self.assertEqual(len(days), 19)
        for substitute in (date(2025, 2, 24), date(2025, 5, 6), date(2025, 11, 24)):
            self.assertEqual(days[substitute], "振替休日")
        self.assertEqual(jp_public_holidays(2027)[date(2027, 3, 22)], "振替休日")

    def test_holidays_are_not_working_hours(self):
        leaves = self.calendar._cou_jp_add_public_holidays([2026])
        self.assertEqual(len(leaves), 18)
        # a second call adds nothing
        self.assertFalse(self.calendar._cou_jp_add_public_holidays([2026]))
        # 成人の日 (Monday 12 January 2026), in Tokyo time: 00:00 to 23:59:59 JST
        coming_of_age = leaves.filtered(lambda leave: leave.name == "成人の日")
        self.assertEqual(coming_of_age.date_from, datetime(2026, 1, 11, 15, 0))
        hours = self.calendar.get_work_hours_count
        self.assertEqual(hours(datetime(2026, 1, 11, 15), datetime(2026, 1, 12, 15)), 0)
        self.assertEqual(hours(datetime(2026, 1, 12, 15), datetime(2026, 1, 13, 15)), 8)
        # an hour of work asked on Friday 9 January at 18:00 JST is done on Tuesday
        # 13 January at 10:00 JST, after the weekend and the holiday
        end = self.calendar.plan_hours(
            1, datetime(2026, 1, 9, 9, 0), compute_leaves=True
        )
        self.assertEqual(end, datetime(2026, 1, 13, 1, 0))

    def test_demo_team_calendar(self):
        team = self.env.ref(
            "crm_order_unified_jp.cou_jp_complaint_team", raise_if_not_found=False
        )
        if not team:
            self.skipTest("needs the demo data of crm_order_unified_jp")
        calendar = team.resource_calendar_id
        self.assertEqual(calendar.tz, "Asia/Tokyo")
        self.assertEqual(calendar.company_id, team.company_id)
        self.assertEqual(team.company_id.country_id.code, "JP")
        names = set(calendar.leave_ids.mapped("name"))
        self.assertTrue({"元日", "成人の日", "年末年始休業"} <= names)
