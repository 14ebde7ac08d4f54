"""A real `baton dev` (private PostgreSQL, demo data) and a real headless Chromium driven through
WebDriver (Debian's chromium and chromium-driver). Screenshots of the main pages, desktop and 400 px
wide, are saved under .build/screenshots/."""
import os
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from baton_dev import REPO, Baton

SHOTS = os.path.join(REPO, ".build", "screenshots")


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
