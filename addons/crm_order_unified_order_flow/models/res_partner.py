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

# What makes two contacts likely duplicates: (kind, stored key fields). The
# form's search and the manager's list (SQL) are both built from this table
# (res.partner._cou_duplicate_key_table); a value of any field of a kind
# matches a value of any field of the same kind.
DUPLICATE_KEYS = (
    ("email", ("email_normalized",)),
    ("phone", ("cou_phone_key", "cou_mobile_key")),
    ("vat", ("cou_vat_key",)),
    ("name", ("cou_name_key",)),
)
# duplicates shown on the form's banner (the Open button lists them all)
DUPLICATE_DISPLAY_LIMIT = 100

# how a customer's deliveries are invoiced (res.partner.auto_invoice_policy;
# also the segments' policy in crm_order_unified_order_flow_segment)
AUTO_INVOICE_POLICIES = [
    ("none", "No automatic invoicing"),
    ("on_delivery", "On delivery"),
    ("on_delivery_daily", "On delivery, one invoice per day"),
]


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
        selection=AUTO_INVOICE_POLICIES,
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
        """One search for all the partners shown (the form shows one): the
        union of their exact duplicate domains, so nothing is filtered out
        after a limit; the form's single partner gets at most
        ``DUPLICATE_DISPLAY_LIMIT`` of them (all real; Open lists them all)."""
        self.cou_duplicate_partner_ids = False
        partners = self.filtered(lambda p: p.type == "contact")
        domains = [partner._cou_duplicate_domain() for partner in partners]
        domains = [d for d in domains if d != expression.FALSE_DOMAIN]
        if not domains:
            return
        found = self.search(
            expression.OR(domains),
            limit=DUPLICATE_DISPLAY_LIMIT if len(partners) == 1 else None,
        )
        if len(partners) == 1:
            partners.cou_duplicate_partner_ids = found
            return
        for partner in partners:
            own = partner._cou_duplicate_own_ids()
            partner.cou_duplicate_partner_ids = found.filtered(
                lambda c, p=partner, own=own: c.id not in own
                and c.commercial_partner_id.id not in own
                and p._cou_matches(c)
            )

    # === BUSINESS METHODS === #

    @api.model
    def _cou_duplicate_key_table(self):
        """The one definition of a likely duplicate: ``(kind, fields)`` pairs.
        Two contacts of different commercial entities are duplicates when, for
        one kind, a value of one of its fields equals a value of one of the
        other's fields (so phone and mobile compare with each other). The
        normalisation lives in the stored key fields. Both the form's search
        (``_cou_duplicate_domain``) and the manager's list
        (``cou.partner.duplicate._cou_refresh``, in SQL) are built from it."""
        return DUPLICATE_KEYS

    def _cou_duplicate_values(self):
        """``{kind: set of key values}`` of the partner."""
        self.ensure_one()
        values = {}
        for kind, names in self._cou_duplicate_key_table():
            found = {self[name] for name in names} - {False, ""}
            if found:
                values[kind] = found
        return values

    def _cou_duplicate_key_domain(self):
        """Contacts sharing a key with the partner (any kind)."""
        values = self._cou_duplicate_values()
        domains = [
            [(name, "in", sorted(values[kind]))]
            for kind, names in self._cou_duplicate_key_table()
            if kind in values
            for name in names
        ]
        return expression.OR(domains) if domains else []

    def _cou_duplicate_own_ids(self):
        """The partner, its commercial entity and its parent's: never its own
        duplicates."""
        self.ensure_one()
        own = self._origin.commercial_partner_id | self._origin
        if self.parent_id:
            own |= self.parent_id.commercial_partner_id
        return own.ids

    def _cou_duplicate_domain(self):
        """The exact search of the partner's duplicates: the key match and the
        exclusions are both in the domain, so a limit only caps real
        duplicates (no candidate list filtered afterwards)."""
        self.ensure_one()
        keys = self._cou_duplicate_key_domain()
        if not keys:
            return expression.FALSE_DOMAIN
        own = self._cou_duplicate_own_ids()
        return expression.AND(
            [
                [("type", "=", "contact")],
                [("id", "not in", own), ("commercial_partner_id", "not in", own)],
                keys,
            ]
        )

    def _cou_matches(self, other):
        """Whether ``other`` shares a key with the partner (the key table)."""
        mine, theirs = self._cou_duplicate_values(), other._cou_duplicate_values()
        return any(mine[kind] & theirs.get(kind, set()) for kind in mine)

    # === ACTION METHODS === #

    def action_cou_open_duplicates(self):
        self.ensure_one()
        # the review of duplicates is the sales managers'
        self.env["cou.partner.duplicate"].check_access("read")
        duplicates = self.cou_duplicate_partner_ids
        if len(duplicates) >= DUPLICATE_DISPLAY_LIMIT:
            duplicates = self.search(self._cou_duplicate_domain())
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
