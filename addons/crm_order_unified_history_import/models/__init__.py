from . import cou_history_import_columns_mixin
from . import cou_history_import_options_mixin
from . import cou_history_import_mapping
from . import cou_history_import_run
from . import res_partner
from . import sale_order
from . import sale_order_line
