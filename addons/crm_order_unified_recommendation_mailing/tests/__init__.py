from . import test_access_matrix
from . import test_mailing_recommendation
from . import test_i18n
