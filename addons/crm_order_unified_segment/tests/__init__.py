from . import test_segment_campaign
from . import test_segment_concurrency
from . import test_segment_rfm
from . import test_segment_rules
from . import test_ui_segment
from . import test_i18n
from . import test_cou_timeline_event
