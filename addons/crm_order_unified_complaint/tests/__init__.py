from . import test_complaint
from . import test_complaint_mail
from . import test_complaint_portal
from . import test_complaint_rating
from . import test_complaint_sla
from . import test_ui_complaint
from . import test_i18n
from . import test_cou_timeline_event
