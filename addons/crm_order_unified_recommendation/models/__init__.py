from . import cou_recommendation
from . import cou_recommendation_neighbour
from . import cou_recommendation_log
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import product_product
