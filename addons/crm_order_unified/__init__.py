from . import models
from . import wizard  # [complaint]
from . import report  # [complaint]
from . import controllers  # [complaint]
