"""Screenshots of Odoo pages with headless Chromium (for the readmes).

Logs in to a running Odoo server, optionally switches the user's language,
opens each URL and saves a PNG once the page is idle::

    .venv/bin/python tools/screenshot.py --url http://localhost:8070 \\
        --db mydb --login admin --password admin --lang ja_JP \\
        --shot '/odoo/customer-hub=addons/x/static/description/dashboard_ja.png' \\
        --wait-for '.o_crm_order_unified_dashboard canvas'

``--shot PATH=FILE`` may be repeated (one page each); ``--wait-for`` is a CSS
selector waited for on every page (default: the web client's main content);
``--width``/``--height`` set the viewport, ``--full-page`` captures the whole
scrollable content of the action. Needs ``chromium`` (or ``--chrome``) and the
``websocket-client`` package (in the project's venv).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client

import websocket


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", help="set the user's language first, e.g. ja_JP")
    parser.add_argument(
        "--shot",
        action="append",
        required=True,
        metavar="PATH=FILE",
        help="page path (or full URL) and the PNG to write",
    )
    parser.add_argument("--wait-for", default=".o_action_manager .o_action")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds after load")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--chrome", default=shutil.which("chromium") or "chromium")
    return parser.parse_args(argv)


def set_language(args):
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    if not uid:
        sys.exit("screenshot: login failed")
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object")
    call = lambda *a: models.execute_kw(args.db, uid, args.password, *a)  # noqa: E731
    active = [("code", "=", args.lang), ("active", "=", True)]
    if not call("res.lang", "search", [active]):
        lang_ids = call(
            "res.lang",
            "search",
            [[("code", "=", args.lang), ("active", "=", False)]],
            {"context": {"active_test": False}},
        )
        if not lang_ids:
            sys.exit(f"screenshot: unknown language {args.lang}")
        wizard = call(
            "base.language.install",
            "create",
            [{"lang_ids": [(6, 0, lang_ids)], "overwrite": False}],
        )
        try:
            call("base.language.install", "lang_install", [[wizard]])
        except xmlrpc.client.Fault as exc:  # the returned action may not marshal
            if "marshal" not in str(exc):
                raise
    call("res.users", "write", [[uid], {"lang": args.lang}])


class Browser:
    def __init__(self, args):
        self.args = args
        self.profile = tempfile.mkdtemp(prefix="cou_shot_")
        self.proc = subprocess.Popen(
            [
                args.chrome,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={args.width},{args.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + args.timeout
        while not os.path.exists(port_file):
            if time.time() > deadline:
                self.close()
                sys.exit("screenshot: Chromium did not start")
            time.sleep(0.2)
        time.sleep(0.3)
        with open(port_file) as handle:
            port = handle.readline().strip()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=args.timeout, suppress_origin=True
        )
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)

    def wait_for(self, selector):
        deadline = time.time() + self.args.timeout
        check = f"!!document.querySelector({json.dumps(selector)})"
        while not self.evaluate(check):
            if time.time() > deadline:
                raise TimeoutError(
                    f"{selector!r} not found on {self.evaluate('location.href')}"
                )
            time.sleep(0.3)

    def screenshot(self, path):
        params = {"format": "png"}
        if self.args.full_page:
            height = self.evaluate(
                "Math.max(...[...document.querySelectorAll("
                "'.o_content, .o_action > div')].map(e => e.scrollHeight), "
                "document.body.scrollHeight)"
            )
            self.send(
                "Emulation.setDeviceMetricsOverride",
                width=self.args.width,
                height=max(int(height or 0) + 60, self.args.height),
                deviceScaleFactor=1,
                mobile=False,
            )
            time.sleep(1.0)
        data = self.send("Page.captureScreenshot", **params)["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))

    def close(self):
        try:
            self.proc.terminate()
            self.proc.wait(10)
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.lang:
        set_language(args)
    browser = Browser(args)
    try:
        browser.send("Page.enable")
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.goto(f"{args.url}/web/login?db={args.db}")
        browser.wait_for("input[name=login]")
        browser.evaluate(
            "document.querySelector('input[name=login]').value = "
            f"{json.dumps(args.login)};"
            "document.querySelector('input[name=password]').value = "
            f"{json.dumps(args.password)};"
            "document.querySelector('form').submit();"
        )
        browser.wait_for(".o_web_client, .o_main_navbar")
        for shot in args.shot:
            path, _sep, output = shot.rpartition("=")
            url = path if path.startswith("http") else f"{args.url}{path}"
            browser.goto(url)
            browser.wait_for(args.wait_for)
            time.sleep(args.settle)
            browser.screenshot(output)
            print(f"screenshot: {url} -> {output}", file=sys.stderr)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
