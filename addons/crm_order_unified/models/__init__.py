from . import cou_customer_context_mixin
from . import account_move
from . import account_partial_reconcile
from . import cou_dashboard
from . import cou_demo_generator
from . import cou_job_chunk
from . import mail_message  # before the timeline: its index reads the new column
from . import cou_timeline_event
from . import ir_http
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import stock_move
from . import stock_picking
