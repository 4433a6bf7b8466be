from . import test_access_matrix
from . import test_i18n
from . import test_jp_company
from . import test_jp_calendar
from . import test_res_partner_salutation
from . import test_ui_jp
