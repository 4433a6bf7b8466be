"""Shared base of the segment and campaign tests.

Works in company B of ``CouCommon`` (no demo data there), so RFM quintiles are
computed over the hand-built customers only.
"""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_order_unified.tests.common import CouCommon


@tagged("post_install", "-at_install")
class CouSegmentCommon(CouCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_b
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.product_service = cls.env["product.product"].create(
            {
                "name": "COU Segment Service",
                "type": "service",
                "list_price": 1.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
                "company_id": False,
            }
        )
        cls.user_marketing = new_test_user(
            cls.env,
            login="cou_marketing",
            groups="base.group_user,mass_mailing.group_mass_mailing_user,"
            "crm_order_unified.group_crm_order_unified_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.user_salesman_b = new_test_user(
            cls.env,
            login="cou_salesman_b",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    @classmethod
    def _seg_partner(cls, name, **vals):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": f"{name}@example.com", **vals}
        )

    @classmethod
    def _seg_order(cls, partner, amount, date, confirm=True, company=None, **vals):
        """A confirmed service order of ``amount`` (untaxed) placed on ``date``."""
        company = company or cls.company
        with freeze_time(date):
            order = (
                cls.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date_order": fields.Datetime.to_datetime(date),
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": cls.product_service.id,
                                    "product_uom_qty": 1,
                                    "price_unit": amount,
                                }
                            )
                        ],
                        **vals,
                    }
                )
            )
            if confirm:
                order.action_confirm()
                order.date_order = fields.Datetime.to_datetime(date)
        return order

    @classmethod
    def _seg_refund(cls, partner, amount, date, company=None):
        company = company or cls.company
        refund = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "COU refund",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        refund.action_post()
        return refund

    def _rfm_segment(self, code, company=None):
        return self.env["cou.segment"].search(
            [
                ("segment_type", "=", "rfm"),
                ("rfm_code", "=", code),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def _members(self, segment):
        return (
            self.env["cou.segment.member"]
            .search([("segment_id", "=", segment.id), ("date_to", "=", False)])
            .partner_id
        )
