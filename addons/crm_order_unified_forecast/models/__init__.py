from . import cou_customer_context_mixin
from . import cou_dashboard
from . import cou_forecast
from . import cou_forecast_driver
from . import cou_forecast_driver_value
from . import res_partner
from . import sale_order
from . import stock_warehouse_orderpoint
