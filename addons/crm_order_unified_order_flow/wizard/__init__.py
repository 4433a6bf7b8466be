from . import cou_order_flow_check
from . import cou_order_flow_check_line
