from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_order_unified_recommendation.models.cou_recommendation import (
    CouRecommendation,
)
from odoo.addons.crm_order_unified_recommendation.tests.common import (
    CouRecommendationCommon,
)


@tagged("post_install", "-at_install")
class TestMailingRecommendation(CouRecommendationCommon):
    """A mailing with the Suggested Products block shows each recipient their
    own suggestions. In the basket world, the fourth baker is offered jam, the
    third drinker tea."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.baker = cls.bakers[3]
        cls.drinker = cls.drinkers[2]
        cls.baker.email = "baker3@example.com"
        cls.drinker.email = "drinker2@example.com"
        cls.block = cls.env["ir.qweb"]._render(
            "crm_order_unified_recommendation_mailing.s_cou_recommendations"
        )

    def _mailing(self, model="res.partner", **vals):
        return self.env["mailing.mailing"].create(
            {
                "subject": "COU Autumn selection",
                "mailing_model_id": self.env["ir.model"]._get_id(model),
                "body_html": f"<div><p>Hello</p>{self.block}</div>",
                **vals,
            }
        )

    def _sent_bodies(self, mailing):
        mailing.action_send_mail()
        mails = self.env["mail.mail"].search([("mailing_id", "=", mailing.id)])
        return {
            self.env["res.partner"].browse(mail.res_id): mail.body_html
            for mail in mails
        }

    def test_block_becomes_qweb(self):
        mailing = self._mailing()
        self.assertIn("object.cou_recommended_products(3)", mailing.body_html)
        self.assertNotIn("Product name", mailing.body_html, "the sample is replaced")
        # saving again leaves it as it is
        body = mailing.body_html
        mailing.body_html = body
        self.assertEqual(mailing.body_html.count("t-foreach"), 1)

    def test_each_recipient_gets_their_own_suggestions(self):
        mailing = self._mailing(
            mailing_domain=repr([("id", "in", (self.baker | self.drinker).ids)])
        )
        bodies = self._sent_bodies(mailing)
        self.assertEqual(set(bodies), {self.baker, self.drinker})
        baker_body, drinker_body = bodies[self.baker], bodies[self.drinker]
        self.assertIn("COU Jam", baker_body)
        self.assertNotIn("COU Tea", baker_body)
        self.assertIn("COU Tea", drinker_body)
        self.assertNotIn("COU Jam", drinker_body)
        # worded for the customer: no other customers' counts
        self.assertIn("Often chosen together with COU Bread", baker_body)
        self.assertNotIn("Bought by", baker_body)
        self.assertNotIn("Product name", baker_body)
        self.assertIn("Selected for you", baker_body)

    def test_recipient_without_suggestions_gets_no_block(self):
        lonely = self.env["res.partner"].create(
            {"name": "COU Lonely", "email": "lonely@example.com"}
        )
        mailing = self._mailing(mailing_domain=repr([("id", "=", lonely.id)]))
        # a company without any order: no popular products either
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM cou_recommendation WHERE company_id = %s",
                self.company_a.id,
            )
        )
        self.env.invalidate_all()
        body = self._sent_bodies(mailing)[lonely]
        self.assertIn("Hello", body)
        self.assertNotIn("Selected for you", body)

    def test_customer_prices_and_batch(self):
        """Prices follow the recipient's pricelist; one computation serves the
        whole batch being rendered."""
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "COU Reco mailing pricelist",
                "currency_id": self.company_a.currency_id.id,
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.jam.id,
                            "compute_price": "fixed",
                            "fixed_price": 3.25,
                        },
                    )
                ],
            }
        )
        self.baker.property_product_pricelist = pricelist
        partners = self.env["res.partner"].browse((self.baker | self.drinker).ids)
        partners.invalidate_recordset()
        calls = []
        original = CouRecommendation.get_recommendations

        def counted(recommendation, partner_ids, **kwargs):
            calls.append(list(partner_ids))
            return original(recommendation, partner_ids, **kwargs)

        with patch.object(CouRecommendation, "get_recommendations", counted):
            baker_products = partners[0].cou_recommended_products(5)
            drinker_products = partners[1].cou_recommended_products(5)
        jam = next(s for s in baker_products if s["product_id"] == self.jam.id)
        self.assertIn("3.25", jam["price"])
        self.assertTrue(jam["reason"])
        self.assertIn(self.tea.id, [s["product_id"] for s in drinker_products])
        # one computation per pricelist for the whole batch being rendered
        self.assertEqual(
            sorted(map(sorted, calls)), [[self.baker.id], [self.drinker.id]]
        )

    def test_mailing_list_contact_gets_the_customer_suggestions(self):
        contact = self.env["mailing.contact"].create(
            {"name": "Baker", "email": "Baker3@example.com"}
        )
        unknown = self.env["mailing.contact"].create(
            {"name": "Nobody", "email": "nobody@example.com"}
        )
        self.assertIn(
            self.jam.id,
            [s["product_id"] for s in contact.cou_recommended_products(5)],
        )
        # an unknown address: no customer, no suggestion
        self.assertEqual(unknown.cou_recommended_products(5), [])

    def test_japanese_wording(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [
                "crm_order_unified_recommendation",
                "crm_order_unified_recommendation_mailing",
            ],
            ["ja_JP"],
            overwrite=True,
        )
        self.baker.lang = "ja_JP"
        mailing = self._mailing(mailing_domain=repr([("id", "=", self.baker.id)]))
        body = self._sent_bodies(mailing)[self.baker]
        self.assertIn("COU Jam", body)
        self.assertIn("COU Bread」と一緒に", body)
