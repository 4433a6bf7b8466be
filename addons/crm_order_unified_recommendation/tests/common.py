"""Shared test base of crm_order_unified_recommendation.

``CouRecommendationCommon`` adds to the core's ``CouCommon`` a small basket
world whose neighbours are known by construction:

* bakers (3 customers) buy bread, butter and jam; a fourth baker buys bread
  and butter only, so jam is what customers like them buy and they do not;
* drinkers (2) buy coffee and tea; a third buys coffee only (tea is missing);
* a regular buys coffee every 10 days (4 times, last 9 days ago: due again);
* two bakers moved up from bread to sourdough (same category, dearer):
  the fourth baker is offered sourdough as an upsell.

Orders are confirmed and dated through ``CouCommon._cou_create_order``;
``cls.today`` is the day the model is built for.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_order_unified.tests.common import CouCommon


@tagged("post_install", "-at_install")
class CouRecommendationCommon(CouCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.today = fields.Date.today()
        Category = cls.env["product.category"]
        cls.categ_bakery = Category.create({"name": "COU Bakery"})
        cls.categ_drinks = Category.create({"name": "COU Drinks"})
        vals = {
            "type": "consu",
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
            "company_id": False,
            "sale_ok": True,
        }

        def product(name, categ, price):
            return cls.env["product.product"].create(
                {**vals, "name": name, "categ_id": categ.id, "list_price": price}
            )

        cls.bread = product("COU Bread", cls.categ_bakery, 2.0)
        cls.sourdough = product("COU Sourdough", cls.categ_bakery, 5.0)
        cls.butter = product("COU Butter", cls.categ_bakery, 3.0)
        cls.jam = product("COU Jam", cls.categ_bakery, 4.0)
        cls.coffee = product("COU Coffee", cls.categ_drinks, 8.0)
        cls.tea = product("COU Tea", cls.categ_drinks, 6.0)
        # bought only after the cut of the as_of tests
        cls.cake = product("COU Cake", cls.categ_bakery, 9.0)

        Partner = cls.env["res.partner"]
        cls.bakers = Partner.create(
            [{"name": f"COU Baker {i}", "is_company": True} for i in range(4)]
        )
        cls.drinkers = Partner.create(
            [{"name": f"COU Drinker {i}", "is_company": True} for i in range(3)]
        )
        cls.regular = Partner.create({"name": "COU Regular", "is_company": True})
        cls.newcomer = Partner.create({"name": "COU Newcomer", "is_company": True})

        def day(offset):
            return fields.Datetime.to_string(
                fields.Datetime.to_datetime(cls.today - timedelta(days=offset))
                + timedelta(hours=10)
            )

        def order(partner, products, offset):
            return cls._cou_create_order(
                partner, [(p, 1, p.list_price) for p in products], date=day(offset)
            )

        for baker in cls.bakers[:3]:
            order(baker, cls.bread | cls.butter | cls.jam, 60)
        order(cls.bakers[3], cls.bread | cls.butter, 50)
        for baker in cls.bakers[:2]:
            order(baker, cls.sourdough, 40)
        for drinker in cls.drinkers[:2]:
            order(drinker, cls.coffee | cls.tea, 45)
        order(cls.drinkers[2], cls.coffee, 30)
        for offset in (39, 29, 19, 9):
            order(cls.regular, cls.coffee, offset)
        # a quotation is not a purchase
        cls._cou_create_order(cls.drinkers[2], [(cls.jam, 1, 4.0)], confirm=False)
        cls.Recommendation = cls.env["cou.recommendation"]

        cls.user_salesman_all = new_test_user(
            cls.env,
            login="cou_reco_salesman_all",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )

    @classmethod
    def _reco_products(cls, partner, **kwargs):
        """Suggested product records for ``partner``, best first."""
        result = cls.env["cou.recommendation"].get_recommendations(
            partner.ids, **kwargs
        )
        return cls.env["product.product"].browse(
            [s["product_id"] for s in result[partner.id]]
        )

    @classmethod
    def _reco_by_product(cls, partner, **kwargs):
        result = cls.env["cou.recommendation"].get_recommendations(
            partner.ids, **kwargs
        )
        return {s["product_id"]: s for s in result[partner.id]}
