from . import cou_recommendation
