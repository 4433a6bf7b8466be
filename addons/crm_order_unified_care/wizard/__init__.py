from . import cou_care_override
