import unittest

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "cou_tour")
class CouTourCase(HttpCase):
    """Base class of the addon's UI tours.

    Odoo skips a tour quietly when Chromium or websocket-client is missing and
    reports success; a tour of this addon that cannot run fails instead.
    """

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        try:
            return super().start_tour(
                url_path, tour_name, step_delay=step_delay, **kwargs
            )
        except unittest.SkipTest as exc:
            self.fail(f"UI tour {tour_name} could not run: {exc}")
