from . import test_access_matrix
from . import test_import_bad_input
from . import test_import_history
from . import test_import_parser
from . import test_import_reader
from . import test_import_summary
from . import test_ui_import
from . import test_i18n
