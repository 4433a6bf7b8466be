from datetime import timedelta

from odoo import Command, fields

from odoo.addons.crm_order_unified.tests.common import CouCommon


class CouOrderFlowCommon(CouCommon):
    """The core's companies, customers and roles, plus a storable product with
    2 units in stock in company A's warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.product_storable = cls.env["product.product"].create(
            {
                "name": "COU Lantern (storable)",
                "type": "consu",
                "is_storable": True,
                "list_price": 50.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
                "company_id": False,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_storable, cls.warehouse.lot_stock_id, 2.0
        )
        cls.product_service = cls.env["product.product"].create(
            {
                "name": "COU Installation (service)",
                "type": "service",
                "list_price": 30.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
                "company_id": False,
            }
        )
        cls.company_a.write(
            {
                "cou_flow_stock_check": True,
                "cou_flow_credit_check": True,
                "cou_flow_overdue_tolerance": 0.0,
                "cou_flow_overdue_grace_days": 30,
                "cou_flow_portal_confirm": "trusted",
            }
        )

    @classmethod
    def _receipt(cls, product, qty, days):
        """A confirmed receipt of ``qty`` ``product`` in ``days`` days."""
        date = fields.Datetime.now() + timedelta(days=days)
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": cls.warehouse.lot_stock_id.id,
                "scheduled_date": date,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": cls.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": cls.warehouse.lot_stock_id.id,
                            "date": date,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _overdue_invoice(self, partner, amount, days_overdue):
        """A posted invoice of ``partner`` due ``days_overdue`` days ago."""
        date = fields.Date.today() - timedelta(days=days_overdue + 1)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_date_due": date + timedelta(days=1),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "COU overdue",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _quotation(self, partner, lines, user=None):
        return self._cou_create_order(partner, lines, confirm=False, user=user)
