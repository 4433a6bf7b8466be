from . import test_i18n
from . import test_segment_invoice_policy
from . import test_access_matrix
