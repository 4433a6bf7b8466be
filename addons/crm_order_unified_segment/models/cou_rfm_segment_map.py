from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The classic RFM segments, keyed by a stable code (automated actions and
# reports filter on the code, users see the translated label).
RFM_SEGMENT_CODES = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential loyalist"),
    ("new", "New"),
    ("promising", "Promising"),
    ("need_attention", "Need attention"),
    ("about_to_sleep", "About to sleep"),
    ("at_risk", "At risk"),
    ("cant_lose", "Can't lose them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]


class CouRfmSegmentMap(models.Model):
    """Editable mapping of an RFM score pair to a named segment.

    The pair is (R, FM): the recency score and the FM score, which is the mean
    of the frequency and monetary scores rounded half up ((F + M + 1) // 2).
    The 25 rows shipped in data/cou_rfm_segment_map_data.xml are the classic
    grid; managers may re-map any cell. The table is shared by all companies.
    """

    _name = "cou.rfm.segment.map"
    _description = "RFM Segment Mapping"
    _order = "r_score desc, fm_score desc"
    _rec_name = "segment_code"

    # === FIELDS === #
    r_score = fields.Integer(
        string="Recency Score",
        required=True,
        help="Recency score, 1 (oldest) to 5 (most recent).",
    )
    fm_score = fields.Integer(
        string="Frequency-Monetary Score",
        required=True,
        help="Mean of the frequency and monetary scores rounded half up, 1 to 5.",
    )
    segment_code = fields.Selection(
        selection=RFM_SEGMENT_CODES, string="RFM Segment", required=True
    )

    _sql_constraints = [
        (
            "cou_rfm_segment_map_pair_uniq",
            "UNIQUE(r_score, fm_score)",
            "Each score pair maps to one segment only.",
        ),
    ]

    # === CONSTRAINT METHODS === #
    @api.constrains("r_score", "fm_score")
    def _check_scores(self):
        for row in self:
            if not (1 <= row.r_score <= 5 and 1 <= row.fm_score <= 5):
                raise ValidationError(self.env._("RFM scores go from 1 to 5."))
