from . import cou_recommendation
from . import mailing_mailing
from . import mailing_contact
from . import res_partner
