from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS === #

    cou_flow_stock_check = fields.Boolean(
        string="Stock Check on Confirmation",
        default=True,
        help="On confirmation, list the lines the warehouse's forecasted quantity "
        "cannot serve by the delivery date, with the date they can be.",
    )
    cou_flow_credit_check = fields.Boolean(
        string="Credit Check on Confirmation",
        default=True,
        help="A customer with overdue receivables past the tolerance, or over the "
        "credit limit (Invoicing settings), needs a sales manager to confirm.",
    )
    cou_flow_overdue_tolerance = fields.Float(
        string="Overdue Tolerance",
        digits="Account",
        default=0.0,
        help="Overdue receivable the customer may have (in the company currency) "
        "before a manager must confirm their orders.",
    )
    cou_flow_overdue_grace_days = fields.Integer(
        string="Overdue Grace Days",
        default=0,
        help="Days past the due date before a receivable counts as overdue for "
        "the credit check.",
    )
    cou_flow_portal_confirm = fields.Selection(
        selection=[
            ("all", "All customers"),
            ("trusted", "Trusted customers only"),
        ],
        string="Portal Acceptance Confirms",
        default="trusted",
        required=True,
        help="When a customer accepts a quotation in the portal and it passes the "
        "checks, it confirms itself: for every customer (Odoo's default), or for "
        "trusted customers only (the others wait for the salesperson, who gets an "
        "activity).",
    )
