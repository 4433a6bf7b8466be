from . import cou_complaint_report
