from . import test_access_matrix
from . import test_cou_care_derivation
from . import test_cou_care_rule
from . import test_sale_order_care
from . import test_performances
from . import test_ui_care
from . import test_i18n
