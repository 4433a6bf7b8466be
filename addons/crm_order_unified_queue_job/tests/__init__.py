from . import test_access_matrix
from . import test_i18n
from . import test_queue_job_bridge
