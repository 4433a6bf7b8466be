from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class ComplaintCommon(TransactionCase):
    """Hand-built data of the complaint tests: two customers (one company with a
    contact), a storable product, a confirmed and delivered order with its posted
    invoice, a team with a standard calendar, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Complaint Test Calendar 40h",
                "tz": "UTC",
                "company_id": cls.company.id,
            }
        )  # default attendances: Mon-Fri 8-12, 13-17
        cls.team = cls.env["cou.complaint.team"].create(
            {
                "name": "Test Care",
                "resource_calendar_id": cls.calendar.id,
                "alias_name": "test-complaints",
            }
        )
        cls.other_team = cls.env["cou.complaint.team"].create(
            {"name": "Other Care", "resource_calendar_id": cls.calendar.id}
        )
        cls.sla = cls.env["cou.complaint.sla"].create(
            {
                "name": "Test standard",
                "team_id": cls.team.id,
                "first_response_hours": 4,
                "resolution_hours": 16,
            }
        )
        cls.stage_new = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_new"
        )
        cls.stage_progress = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_in_progress"
        )
        cls.stage_waiting = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_waiting"
        )
        cls.stage_resolved = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_resolved"
        )
        cls.stage_cancelled = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_cancelled"
        )
        cls.category_damaged = cls.env.ref(
            "crm_order_unified_complaint.cou_complaint_category_damaged"
        )

        cls.user_agent = new_test_user(
            cls.env,
            "cou_agent",
            groups="crm_order_unified_complaint.group_cou_complaint_user,stock.group_stock_user",
            name="Agnes Agent",
            email="agnes@example.com",
        )
        cls.user_outsider = new_test_user(
            cls.env,
            "cou_outsider",
            groups="crm_order_unified_complaint.group_cou_complaint_user",
            name="Otto Outsider",
        )
        cls.user_manager = new_test_user(
            cls.env,
            "cou_cmanager",
            groups="crm_order_unified_complaint.group_cou_complaint_manager,stock.group_stock_manager,account.group_account_manager",
            name="Mona Manager",
        )
        cls.team.write(
            {
                "member_ids": [Command.link(cls.user_agent.id)],
                "user_id": cls.user_manager.id,
            }
        )

        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Complaint Customer Co",
                "is_company": True,
                "email": "care@customer.example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Carla Contact",
                "parent_id": cls.customer.id,
                "email": "carla@customer.example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Someone Else Ltd",
                "is_company": True,
                "email": "info@else.example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Complaint Kettle",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "order",
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )
        cls.order = cls._create_order(cls.contact)
        cls.delivery = cls.order.picking_ids
        cls._deliver(cls.delivery)
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.Complaint = cls.env["cou.complaint"]

    @classmethod
    def _create_order(cls, partner, qty=2):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "price_unit": 50.0,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()

    def _create_complaint(self, **vals):
        values = {
            "name": "Broken kettle",
            "team_id": self.team.id,
            "partner_id": self.contact.id,
        }
        values.update(vals)
        return self.Complaint.create(values)
