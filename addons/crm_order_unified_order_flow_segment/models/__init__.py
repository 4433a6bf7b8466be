from . import cou_segment
from . import res_partner
from . import sale_order
