"""`baton dev` on a private cluster with the demo data, for the tests in Python: its URL and, for each
demo person, the password and token it prints on start."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Baton:
    def __init__(self, *args):
        self.bin = os.environ.get("BATON_BIN", os.path.join(REPO, ".build", "debug", "baton"))
        self.data = tempfile.mkdtemp(prefix="baton-dev-")
        os.chmod(self.data, 0o755)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.data, "dev.log"), "w+")
        self.proc = subprocess.Popen([self.bin, "dev", "--data", self.data + "/db", "--port", str(self.port), *args], cwd=REPO,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200 and "Press Ctrl-C" in self.output():
                    break
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("baton dev exited: " + self.output())
            time.sleep(0.3)
        else:
            raise RuntimeError("baton dev not ready: " + self.output())
        self.people = {}
        for m in re.finditer(r"^    (\w+)\s+(baton-\S+)\s+([A-Za-z0-9]{40})", self.output(), re.M):
            self.people[m.group(1)] = {"password": m.group(2), "token": m.group(3)}

    def output(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        shutil.rmtree(self.data, ignore_errors=True)
