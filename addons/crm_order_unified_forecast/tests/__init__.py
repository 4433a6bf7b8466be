from . import test_forecast_engine
from . import test_cou_forecast
from . import test_cou_dashboard
from . import test_cou_forecast_access
from . import test_reorder
from . import test_ui_forecast
from . import test_i18n
from . import test_forecast_readonly
