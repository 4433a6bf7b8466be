from odoo import fields, models


class CouHistoryImportOptionsMixin(models.AbstractModel):
    """What to do with cancellations, non-product codes and rows without a
    customer, and which documents to create: the options chosen in the import
    wizard (``cou.history.import``) and kept on the run it starts
    (``cou.history.import.run``), which redeclares them read-only.
    """

    _name = "cou.history.import.options.mixin"
    _description = "Order History Import Options"

    # === FIELDS === #

    cancel_mode = fields.Selection(
        selection=[
            ("net", "Net against earlier sales"),
            ("refund", "Import as return orders"),
        ],
        string="Cancellations and Returns",
        default="net",
        required=True,
    )
    non_product_mode = fields.Selection(
        selection=[
            ("reject", "Reject and report"),
            ("service", "Import as service products"),
        ],
        string="Non-Product Codes Handling",
        default="service",
        required=True,
    )
    missing_customer_mode = fields.Selection(
        selection=[
            ("reject", "Reject and report"),
            ("guest", "Import on one guest customer"),
        ],
        string="Rows Without Customer",
        default="reject",
        required=True,
    )
    create_invoices = fields.Boolean(
        help="Also create and post customer invoices through the standard workflow "
        "(slow).",
    )
    create_deliveries = fields.Boolean(
        help="Also create and validate the deliveries (stock moves) on the order "
        "dates: "
        "they lower the current stock (slow).",
    )

    # === BUSINESS METHODS === #

    def _import_options(self):
        """The options as a plain dict (the import engine works on plain data)."""
        self.ensure_one()
        return {
            "cancel_mode": self.cancel_mode,
            "non_product_mode": self.non_product_mode,
            "missing_customer_mode": self.missing_customer_mode,
            "create_invoices": self.create_invoices,
            "create_deliveries": self.create_deliveries,
        }
