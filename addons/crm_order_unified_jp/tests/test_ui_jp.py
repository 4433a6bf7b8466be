import logging
import time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase

_logger = logging.getLogger(__name__)

# the modules whose Japanese the tour's screens show: the web client, sales and
# the Customer Hub (Odoo's other modules' Japanese is not needed here)
TOUR_MODULES = [
    "web",
    "sale",
    "crm_order_unified",
    "crm_order_unified_care",
    "crm_order_unified_complaint",
    "crm_order_unified_jp",
]


def _load_japanese(env):
    start = time.time()
    env["res.lang"]._activate_lang("ja_JP")
    env["ir.module.module"]._load_module_terms(TOUR_MODULES, ["ja_JP"], overwrite=True)
    _logger.info(
        "Japanese of %s loaded in %.1f s", ", ".join(TOUR_MODULES), time.time() - start
    )


@tagged("post_install", "-at_install", "cou_tour")
class TestJapaneseTour(CouTourCase):
    """A salesperson of the Japanese company, working in Japanese, opens a
    quotation of the sensitive-skin customer: the care warning, the customer
    context and the timeline read in Japanese."""

    def test_japanese_tour(self):
        hanako = self.env.ref(
            "crm_order_unified_jp.cou_jp_customer_hanako", raise_if_not_found=False
        )
        if not hanako:
            self.skipTest("needs the demo data of crm_order_unified_jp")
        company = self.env.ref("base.demo_company_jp")
        _load_japanese(self.env)
        user = new_test_user(
            self.env,
            login="cou_jp_sales",
            name="山本 直子",
            lang="ja_JP",
            tz="Asia/Tokyo",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_order_unified.group_crm_order_unified_user,"
            "crm_order_unified_complaint.group_cou_complaint_user",
        )
        # a member of お客様相談室: she sees its complaints
        self.env.ref("crm_order_unified_jp.cou_jp_complaint_team").member_ids |= user
        foundation = self.env.ref(
            "crm_order_unified_jp.cou_jp_product_foundation_radiance"
        )
        quotation = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": hanako.id,
                    "order_line": [
                        Command.create(
                            {"product_id": foundation.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        self.start_tour(
            f"/odoo/sale.order/{quotation.id}",
            "crm_order_unified_jp_tour",
            login="cou_jp_sales",
        )


@tagged("post_install", "-at_install", "cou_tour")
class TestJapanesePortal(HttpCase):
    """The customer's portal in Japanese calls its complaints ご意見・お問い合わせ,
    never the staff's クレーム (an HTTP test: Odoo's runner runs it with the
    tours)."""

    def test_portal_breadcrumb_is_polite(self):
        _load_japanese(self.env)
        partner = self.env["res.partner"].create(
            {
                "name": "渡辺 さくら",
                "email": "sakura.watanabe@example.jp",
                "lang": "ja_JP",
            }
        )
        new_test_user(
            self.env,
            login="cou_jp_portal",
            lang="ja_JP",
            partner_id=partner.id,
            groups="base.group_portal",
        )
        complaint = self.env["cou.complaint"].create(
            {"name": "色が違いました", "partner_id": partner.id}
        )
        self.authenticate("cou_jp_portal", "cou_jp_portal")
        for url in ("/my/complaints", f"/my/complaints/{complaint.id}"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("ご意見・お問い合わせ", response.text, url)
            self.assertNotIn("クレーム", response.text, url)
