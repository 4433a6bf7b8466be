from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # === FIELDS === #

    # Set when the message is posted (see sale.order.message_post): the
    # timeline shows one "Quotation sent" event per sending, however many
    # messages follow on the quotation.
    cou_quotation_sent = fields.Boolean(
        string="Quotation Sending",
        readonly=True,
        copy=False,
        help="The message sends the quotation to the customer (Send by Email with "
        "the quotation template) or marks it as sent.",
    )
