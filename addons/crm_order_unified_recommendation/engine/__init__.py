from . import recommender
