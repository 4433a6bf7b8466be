from odoo.tests import HttpCase, tagged

from .common import CouCommon


# an HttpCase (run by Odoo's runner with the tours): wkhtmltopdf fetches the
# report's assets from the running server
@tagged("post_install", "-at_install", "cou_tour")
class TestPdfReports(CouCommon, HttpCase):
    """A fresh machine prints: the setup installs wkhtmltopdf, so the
    quotation that "Send by Email" attaches and the invoice render as PDF."""

    def _pdf(self, report_ref, records):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        content, report_type = report._render_qweb_pdf(report_ref, records.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "not a PDF")
        return content

    def test_quotation_and_invoice_pdf(self):
        order = self._cou_create_order(self.customer_company, confirm=False)
        self._pdf("sale.action_report_saleorder", order)
        order.action_confirm()
        invoice = self._cou_invoice(order)
        self._pdf("account.account_invoices", invoice)
