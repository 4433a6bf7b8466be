from . import account_move
from . import cou_partner_duplicate
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import stock_picking
