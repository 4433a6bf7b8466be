from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """SLA reminders get their own activity type: the old to-do reminders (added
    again by every save and the demo, on closed and never-late complaints too) are
    replaced by one reminder per open breached complaint (scheduled in one
    batch, without an assignment email each)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if todo:
        env["mail.activity"].search(
            [
                ("res_model", "=", "cou.complaint"),
                ("activity_type_id", "=", todo.id),
                ("summary", "=", "SLA breached: answer the customer"),
            ]
        ).unlink()
    complaints = env["cou.complaint"].search(
        [("sla_breached", "=", True), ("is_closed", "=", False)]
    )
    # one create for all the reminders; no assignment email per reminder (a
    # database with thousands of open breaches would mail the responsible
    # thousands of times, and took most of the upgrade): the reminders are
    # in their activities
    complaints.filtered(lambda c: c._is_breach_pending()).with_context(
        mail_activity_quick_update=True
    )._schedule_breach_activities()
