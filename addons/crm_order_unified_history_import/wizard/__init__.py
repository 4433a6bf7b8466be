from . import cou_history_import
