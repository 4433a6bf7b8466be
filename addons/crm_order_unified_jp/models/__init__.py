from . import account_move
from . import account_move_line
from . import cou_demo_generator
from . import resource_calendar
