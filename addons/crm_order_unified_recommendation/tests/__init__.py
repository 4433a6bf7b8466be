from . import test_recommendation
from . import test_recommendation_context
from . import test_recommendation_access
from . import test_recommendation_log
from . import test_performances
from . import test_ui_recommendation
from . import test_i18n
from . import test_recommendation_readonly
