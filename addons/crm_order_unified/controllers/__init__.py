# [complaint]
from . import portal
