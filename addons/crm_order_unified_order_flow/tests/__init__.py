from . import test_access_matrix
from . import test_auto_invoice
from . import test_credit_check
from . import test_duplicates
from . import test_i18n
from . import test_portal_confirm
from . import test_stock_check
