from odoo import api, fields, models


class CouComplaintDocumentMixin(models.AbstractModel):
    """Complaints about a document (sale order, transfer, invoice).

    Shares the complaint counters, the open complaints of the document's customer
    (the commercial entity of ``partner_id``) and the "view"/"file complaint"
    actions. The inheriting model declares the one2many ``cou_complaint_ids``
    itself (its inverse field cannot be set on an abstract model) and overrides
    ``_get_cou_complaint_link_field()`` with the name of that inverse field of
    ``cou.complaint``.
    """

    _name = "cou.complaint.document.mixin"
    _description = "Complaint Document"

    # === FIELDS === #

    cou_complaint_count = fields.Integer(
        string="Complaint Count",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaint Count",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )

    cou_customer_open_complaint_ids = fields.Many2many(
        comodel_name="cou.complaint",
        string="Customer's Open Complaint List",
        compute="_compute_cou_customer_open_complaint_ids",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
        help="Open complaints of the customer (all its contacts), shown in the "
        "Customer tab.",
    )

    # === COMPUTE METHODS === #

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_customer_open_complaint_ids(self):
        Complaint = self.env["cou.complaint"]
        open_by_customer = Complaint._get_open_by_customer(
            self.partner_id.commercial_partner_id
        )
        for record in self:
            record.cou_customer_open_complaint_ids = open_by_customer.get(
                record.partner_id.commercial_partner_id.id, Complaint
            )

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_complaint_counts(self):
        counts = self.env["cou.complaint"]._get_counts_by(
            self._get_cou_complaint_link_field(), self
        )
        for record in self:
            record.cou_complaint_count, record.cou_open_complaint_count = counts.get(
                record.id, (0, 0)
            )

    # === ACTION METHODS === #

    def action_cou_view_complaints(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["cou.complaint"]._get_action_for(
            [(self._get_cou_complaint_link_field(), "=", self.id)],
            self._prepare_cou_complaint_default_values(),
        )

    def action_cou_file_complaint(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["cou.complaint"]._get_file_action(
            self._prepare_cou_complaint_default_values()
        )

    # === BUSINESS METHODS === #

    def _get_cou_complaint_link_field(self):
        """Name of the many2one of ``cou.complaint`` that points to this document
        (the inverse of the document's ``cou_complaint_ids``)."""
        raise NotImplementedError(
            f"{self._name} must override _get_cou_complaint_link_field()"
        )

    def _prepare_cou_complaint_default_values(self):
        """Context defaults of a complaint filed from this document."""
        self.ensure_one()
        return {f"default_{self._get_cou_complaint_link_field()}": self.id}
