"""A real `baton dev` (private PostgreSQL, demo data) and a real headless Chromium driven through
WebDriver (Debian's chromium and chromium-driver). Screenshots of the main pages, desktop and 400 px
wide, are saved under .build/screenshots/."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(REPO, ".build", "screenshots")


class Baton:
    def __init__(self):
        self.bin = os.environ.get("BATON_BIN", os.path.join(REPO, ".build", "debug", "baton"))
        self.data = tempfile.mkdtemp(prefix="baton-browser-")
        os.chmod(self.data, 0o755)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.data, "dev.log"), "w+")
        self.proc = subprocess.Popen([self.bin, "dev", "--data", self.data + "/db", "--port", str(self.port)], cwd=REPO,
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


@pytest.fixture(scope="session")
def baton():
    b = Baton()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=vi"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    d.set_page_load_timeout(30)
    yield d
    d.quit()


def shoot(driver, name):
    """Saves the page at 1280 px and at 400 px wide (full height)."""
    os.makedirs(SHOTS, exist_ok=True)
    for width, suffix in ((1280, "desktop"), (400, "400px")):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
        driver.set_window_size(width, max(700, height))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{suffix}.png"))
    driver.set_window_size(1280, 900)
