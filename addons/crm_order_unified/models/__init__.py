# One line per model file; features append their own below their marker.
# [foundation]
from . import cou_customer_context_mixin
# [complaint] hook: the complaint mixin must load before sale_order, stock_picking
# and account_move, which inherit it in their [complaint] sections.
from . import cou_complaint_document_mixin
from . import stock_move
from . import account_partial_reconcile
from . import cou_demo_generator
from . import res_partner
from . import sale_order
from . import stock_picking
from . import account_move
# [timeline]
from . import cou_timeline_event
# [complaint]
from . import cou_complaint
from . import cou_complaint_category
from . import cou_complaint_sla
from . import cou_complaint_stage
from . import cou_complaint_tag
from . import cou_complaint_team
from . import product_template
from . import product_product
# [segment]
from . import res_company
from . import res_config_settings
from . import cou_rfm_segment_map
from . import cou_rfm_score
from . import cou_segment
from . import cou_segment_member
from . import cou_campaign_holdout
from . import utm_campaign
from . import mailing_mailing
from . import mailing_trace
from . import cou_timeline_event_segment
# [import]
from . import cou_history_import_columns_mixin
from . import cou_history_import_options_mixin
from . import cou_history_import_mapping
from . import cou_history_import_run
from . import sale_order_line
