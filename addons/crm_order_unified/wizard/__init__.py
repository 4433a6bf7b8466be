# One line per wizard file; features append theirs below their marker.
# [complaint]
from . import account_move_reversal
from . import stock_return_picking
# [import]
from . import cou_history_import
