from . import test_i18n
from . import test_import_history
from . import test_ui_import
