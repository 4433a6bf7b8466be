from . import test_recommendation_care
