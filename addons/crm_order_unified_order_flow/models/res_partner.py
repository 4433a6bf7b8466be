import re
import unicodedata

import phonenumbers

from odoo import api, fields, models
from odoo.osv import expression

# Legal forms left out of the name key, so "Fuji Outdoor K.K.", "FUJI OUTDOOR"
# and "株式会社富士" / "富士（株）" compare equal. Japanese forms are removed as
# substrings (names have no spaces), Latin ones as whole words, after NFKC
# (which turns （株） and ㈱ into (株)) and case folding.
JAPANESE_LEGAL_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(株)",
    "(有)",
    "(同)",
)
LATIN_LEGAL_FORMS = frozenset(
    "co company corp corporation inc incorporated ltd limited llc llp plc gmbh "
    "kk k sa sas sarl srl bv nv ag oy ab pte pty".split()
)
WORD = re.compile(r"\w+")


def name_key(name):
    """The normalised form of a customer name for duplicate detection."""
    if not name:
        return False
    text = unicodedata.normalize("NFKC", name).casefold()
    for form in JAPANESE_LEGAL_FORMS:
        text = text.replace(form, " ")
    words = [w for w in WORD.findall(text) if w not in LATIN_LEGAL_FORMS]
    key = "".join(words)
    return key if len(key) >= 2 else False


def phone_key(number, region):
    """A phone number in E.164 (``phonenumbers``, as Odoo's phone_validation
    compares them), or its digits when it cannot be parsed."""
    if not number:
        return False
    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= 6 else False


def vat_key(vat):
    if not vat:
        return False
    key = re.sub(r"[^0-9A-Za-z]", "", vat).upper()
    return key if len(key) >= 4 else False


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS === #

    auto_invoice_policy = fields.Selection(
        selection=[
            ("none", "No automatic invoicing"),
            ("on_delivery", "On delivery"),
            ("on_delivery_daily", "On delivery, one invoice per day"),
        ],
        string="Automatic Invoicing",
        company_dependent=True,
        help="On delivery: the invoice is created, posted and sent when the "
        "delivery is done (on confirmation for orders of services only). "
        "One invoice per day: the day's deliveries of the customer are invoiced "
        "together by a scheduled job. Set on the customer's company; its contacts "
        "follow it.",
    )
    cou_flow_trusted = fields.Boolean(
        string="Trusted Customer",
        company_dependent=True,
        help="A quotation the customer accepts in the portal confirms itself when "
        "it passes the stock and credit checks.",
    )
    cou_name_key = fields.Char(
        string="Duplicate Key: Name",
        compute="_compute_cou_duplicate_keys",
        store=True,
        index=True,
        copy=False,
    )
    cou_phone_key = fields.Char(
        string="Duplicate Key: Phone",
        compute="_compute_cou_duplicate_keys",
        store=True,
        index=True,
        copy=False,
    )
    cou_mobile_key = fields.Char(
        string="Duplicate Key: Mobile",
        compute="_compute_cou_duplicate_keys",
        store=True,
        index=True,
        copy=False,
    )
    cou_vat_key = fields.Char(
        string="Duplicate Key: Tax ID",
        compute="_compute_cou_duplicate_keys",
        store=True,
        index=True,
        copy=False,
    )
    cou_duplicate_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Possible Duplicates",
        compute="_compute_cou_duplicate_partner_ids",
        help="Other customers with the same email, phone, tax ID or name "
        "(ignoring case, spaces and legal forms such as Co., Ltd. or 株式会社).",
    )

    # === COMPUTE METHODS === #

    @api.depends("name", "phone", "mobile", "vat", "country_id", "company_id")
    def _compute_cou_duplicate_keys(self):
        default_region = self.env.company.country_id.code
        for partner in self:
            region = partner.country_id.code or default_region
            partner.cou_name_key = name_key(partner.name)
            partner.cou_phone_key = phone_key(partner.phone, region)
            partner.cou_mobile_key = phone_key(partner.mobile, region)
            partner.cou_vat_key = vat_key(partner.vat)

    @api.depends(
        "cou_name_key",
        "cou_phone_key",
        "cou_mobile_key",
        "cou_vat_key",
        "email_normalized",
        "type",
        "parent_id",
    )
    def _compute_cou_duplicate_partner_ids(self):
        """One search for all the partners shown (the form shows one)."""
        self.cou_duplicate_partner_ids = False
        partners = self.filtered(lambda p: p.type == "contact")
        domains = []
        for partner in partners:
            domains.extend(partner._cou_duplicate_domains())
        if not domains:
            return
        candidates = self.search(
            expression.AND([[("type", "=", "contact")], expression.OR(domains)]),
            limit=100,
        )
        for partner in partners:
            own = partner._origin.commercial_partner_id | partner._origin
            if partner.parent_id:
                own |= partner.parent_id.commercial_partner_id
            partner.cou_duplicate_partner_ids = candidates.filtered(
                lambda c, p=partner, own=own: c not in own
                and c.commercial_partner_id not in own
                and p._cou_matches(c)
            )

    # === BUSINESS METHODS === #

    def _cou_duplicate_keys(self):
        """(email, phone keys, vat, name) of the partner, for matching."""
        self.ensure_one()
        phones = {self.cou_phone_key, self.cou_mobile_key} - {False}
        return self.email_normalized, phones, self.cou_vat_key, self.cou_name_key

    def _cou_duplicate_domains(self):
        email, phones, vat, name = self._cou_duplicate_keys()
        domains = []
        if email:
            domains.append([("email_normalized", "=", email)])
        for phone in phones:
            domains.append([("cou_phone_key", "=", phone)])
            domains.append([("cou_mobile_key", "=", phone)])
        if vat:
            domains.append([("cou_vat_key", "=", vat)])
        if name:
            domains.append([("cou_name_key", "=", name)])
        return domains

    def _cou_matches(self, other):
        email, phones, vat, name = self._cou_duplicate_keys()
        o_email, o_phones, o_vat, o_name = other._cou_duplicate_keys()
        return bool(
            (email and email == o_email)
            or (phones & o_phones)
            or (vat and vat == o_vat)
            or (name and name == o_name)
        )

    # === ACTION METHODS === #

    def action_cou_open_duplicates(self):
        self.ensure_one()
        # the review of duplicates is the sales managers'
        self.env["cou.partner.duplicate"].check_access("read")
        duplicates = self.cou_duplicate_partner_ids
        action = {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "name": self.env._("Possible Duplicates"),
        }
        if len(duplicates) == 1:
            action.update(res_id=duplicates.id, views=[(False, "form")])
        else:
            action.update(
                domain=[("id", "in", duplicates.ids)],
                views=[(False, "list"), (False, "form")],
            )
        return action

    def action_cou_merge_duplicates(self):
        """Odoo's own merge wizard, with this contact and its duplicates."""
        self.ensure_one()
        self.env["cou.partner.duplicate"].check_access("read")
        ids = (self | self.cou_duplicate_partner_ids).ids
        return self.env["cou.partner.duplicate"]._cou_merge_action(ids)
