"""odoo-bin for make load-test (scripts/load_test.sh): the same server, except
that when its websocket process (``odoo-bin gevent``, spawned again by the
prefork server whenever it exits) cannot start, for instance without
zope.interface, it waits instead of exiting, so that the server does not
respawn it every second and spend the CPU that the load measures. The load
uses JSON-RPC only. Needs the Odoo source on PYTHONPATH.

Usage: python bench/load_server.py [odoo-bin arguments]
"""

import logging
import os
import sys
import time


def main():
    # as odoo-bin does before anything reads the time
    os.environ["TZ"] = "UTC"
    time.tzset()
    gevent = len(sys.argv) > 1 and sys.argv[1] == "gevent"
    try:
        import odoo  # noqa: PLC0415 - after TZ, as in odoo-bin

        odoo.cli.main()
    except Exception as exc:  # noqa: BLE001 - reported, then the process waits
        if not gevent:
            raise
        logging.basicConfig()
        logging.getLogger(__name__).warning(
            "websocket server unavailable (JSON-RPC unaffected): %s", exc
        )
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
