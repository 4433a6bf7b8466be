"""Shared test base of crm_order_unified_care.

``CouCareCommon`` builds a cosmetics slice (foundations, skincare, a
"Sensitive care" range), care attributes, a derivation rule ("Sensitive
skin": bought from Sensitive care in two orders within 12 months), caution
rules (a warning on foundations for sensitive skin with two alternatives, a
block on products tagged "Contains nuts" for a nut allergy), customers, and
one user per role.
"""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class CouCareCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "COU Care Company B"})

        # ---- users, one per role ----
        def user(login, groups, **kw):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=kw.pop("company_ids", [cls.company.id]),
                **kw,
            )

        cls.user_salesman = user(
            "cou_care_salesman", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_sale_manager = user(
            "cou_care_sale_manager", "base.group_user,sales_team.group_sale_manager"
        )
        cls.user_hub_manager = user(
            "cou_care_hub_manager",
            "base.group_user,sales_team.group_sale_salesman_all_leads,crm_order_unified.group_crm_order_unified_manager",
            company_ids=(cls.company | cls.company_b).ids,
        )
        cls.user_employee = user("cou_care_employee", "base.group_user")

        # ---- catalogue ----
        Category = cls.env["product.category"]
        cls.categ_cosmetics = Category.create({"name": "COU Cosmetics"})
        cls.categ_foundations = Category.create(
            {"name": "COU Foundations", "parent_id": cls.categ_cosmetics.id}
        )
        cls.categ_skincare = Category.create(
            {"name": "COU Skincare", "parent_id": cls.categ_cosmetics.id}
        )
        cls.categ_sensitive = Category.create(
            {"name": "COU Sensitive care", "parent_id": cls.categ_cosmetics.id}
        )
        cls.categ_sensitive_face = Category.create(
            {"name": "COU Sensitive face", "parent_id": cls.categ_sensitive.id}
        )
        cls.tag_nuts = cls.env["product.tag"].create({"name": "COU Contains nuts"})

        def product(name, categ, price=10.0, **kw):
            return cls.env["product.product"].create(
                {
                    "name": name,
                    "categ_id": categ.id,
                    "type": "consu",
                    "list_price": price,
                    "taxes_id": [Command.clear()],
                    **kw,
                }
            )

        cls.foundation = product("COU Radiance Foundation", cls.categ_foundations, 38.0)
        cls.foundation_matte = product(
            "COU Matte Foundation", cls.categ_foundations, 42.0
        )
        cls.sensitive_foundation = product(
            "COU Sensitive Mineral Foundation", cls.categ_sensitive_face, 40.0
        )
        cls.sensitive_fluid = product(
            "COU Sensitive Fluid Foundation", cls.categ_sensitive, 39.0
        )
        cls.sensitive_cream = product(
            "COU Soothing Day Cream", cls.categ_sensitive, 29.0
        )
        cls.night_cream = product("COU Night Cream", cls.categ_skincare, 34.0)
        cls.body_butter = product(
            "COU Almond Body Butter",
            cls.categ_skincare,
            24.0,
            product_tag_ids=[Command.link(cls.tag_nuts.id)],
        )
        cls.body_lotion = product("COU Oat Body Lotion", cls.categ_skincare, 21.0)

        # ---- attributes, derivation and rules ----
        Attribute = cls.env["cou.care.attribute"]
        cls.attr_sensitive = Attribute.create(
            {"name": "COU Sensitive skin", "color": 2}
        )
        cls.attr_nuts = Attribute.create({"name": "COU Nut allergy", "color": 1})
        cls.attr_vegan = Attribute.create({"name": "COU Vegan"})
        cls.derivation = cls.env["cou.care.derivation"].create(
            {
                "attribute_id": cls.attr_sensitive.id,
                "categ_id": cls.categ_sensitive.id,
                "min_orders": 2,
                "months": 12,
            }
        )
        Rule = cls.env["cou.care.rule"]
        cls.rule_foundation = Rule.create(
            {
                "attribute_id": cls.attr_sensitive.id,
                "categ_id": cls.categ_foundations.id,
                "level": "warning",
                "message": "Not for sensitive skin: offer the sensitive range.",
                "alternative_product_ids": [
                    Command.set((cls.sensitive_foundation | cls.sensitive_fluid).ids)
                ],
            }
        )
        cls.rule_nuts = Rule.create(
            {
                "attribute_id": cls.attr_nuts.id,
                "product_tag_id": cls.tag_nuts.id,
                "level": "block",
                "message": "Contains nut oil.",
                "alternative_product_ids": [Command.set(cls.body_lotion.ids)],
            }
        )

        # ---- customers ----
        Partner = cls.env["res.partner"]
        cls.customer_hana = Partner.create({"name": "COU Hana Sato"})
        cls.customer_company = Partner.create(
            {"name": "COU Beauty Salon", "is_company": True}
        )
        cls.customer_contact = Partner.create(
            {"name": "COU Mika Salon", "parent_id": cls.customer_company.id}
        )
        cls.customer_emma = Partner.create({"name": "COU Emma Clarke"})
        cls.customer_emma.care_attribute_ids = cls.attr_nuts
        cls.customer_plain = Partner.create({"name": "COU Plain Customer"})

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    def _create_order(
        cls, partner, products, confirm=True, date=None, company=None, user=None
    ):
        """Create (and confirm, at ``date``) an order of one unit of each
        product, sold by the salesman."""
        env = cls.env(user=user) if user else cls.env
        company = company or cls.company
        with freeze_time(date or fields.Datetime.now()):
            order = (
                env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "user_id": cls.user_salesman.id,
                        "order_line": [
                            Command.create({"product_id": p.id, "product_uom_qty": 1})
                            for p in products
                        ],
                    }
                )
            )
            if confirm:
                order.action_confirm()
        return order

    def _run_precommit(self):
        """Run what the transaction would run at commit (the derivations of
        confirmed orders' customers), as a real commit does."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _events(self, order, event_type=None):
        domain = [("order_id", "=", order.id)]
        if event_type:
            domain.append(("event_type", "=", event_type))
        return self.env["cou.care.event"].sudo().search(domain)
