"""The three kinds of people at their work, in a real browser: the committee assigns, the police officer
acknowledges, works and reports, the committee closes, the standing office follows the board and the
statistics. And the bad input a page must survive."""
import datetime
import re
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import shoot


def sign_in(driver, baton, login):
    driver.delete_all_cookies()
    driver.get(baton.url + "/login")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(baton.people[login]["password"])
    press(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert "/login" not in driver.current_url, driver.page_source[:500]


def press(driver, element):
    """Brings `element` into view and activates it from the keyboard, as a person would with Enter."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    old = driver.find_element(By.TAG_NAME, "html")
    tag = element.tag_name
    if tag == "summary":
        element.click()
        return
    element.send_keys(Keys.ENTER)
    if tag == "button":
        WebDriverWait(driver, 10).until(lambda d: gone(old))
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def gone(element):
    """Whether the page that held `element` has been replaced (Chromium says so in more than one way)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def test_a_task_from_assignment_to_closing(baton, driver):
    title = "Rà soát camera an ninh quanh trường học " + uuid.uuid4().hex[:4]
    due = (datetime.date.today() + datetime.timedelta(days=20)).strftime("%d/%m/%Y")

    # The committee: its queue first, then the demo plan, where it assigns a task by form.
    sign_in(driver, baton, "chair")
    assert driver.current_url.endswith("/queue")
    shoot(driver, "queue")
    driver.get(baton.url + "/plans")
    shoot(driver, "plans")
    driver.get(driver.find_element(By.PARTIAL_LINK_TEXT, "15/KH-BCĐ138").get_attribute("href"))
    driver.find_element(By.ID, "t-title").send_keys(title)
    driver.find_element(By.ID, "t-lead").send_keys("CA-CTA")
    driver.find_element(By.ID, "t-coop").send_keys("GDDT-CTA")
    Select(driver.find_element(By.ID, "t-due-kind")).select_by_value("before")
    driver.find_element(By.ID, "t-due-value").send_keys(due)
    shoot(driver, "plan")
    press(driver, driver.find_element(By.CSS_SELECTOR, "#assign button[type=submit]"))
    assert "Đã giao nhiệm vụ." in text(driver)

    # The police officer: it waits under "Chưa tiếp nhận"; acknowledge, start, report the result.
    sign_in(driver, baton, "ca")
    assert driver.current_url.endswith("/tasks")
    group = driver.find_element(By.ID, "g-unacknowledged").find_element(By.XPATH, "..")
    assert title in group.text
    shoot(driver, "tasks")
    driver.get(driver.find_element(By.LINK_TEXT, title).get_attribute("href"))
    assert "trước ngày " + due in text(driver)
    shoot(driver, "task")
    for button in ("Tiếp nhận", "Bắt đầu thực hiện"):
        press(driver, driver.find_element(By.XPATH, f"//summary[normalize-space()='{button}']"))
        press(driver, driver.find_element(By.XPATH, f"//summary[normalize-space()='{button}']/following-sibling::form//button"))
        assert "Đã thực hiện." in text(driver)
    summary = driver.find_element(By.XPATH, "//summary[normalize-space()='Báo cáo kết quả']")
    press(driver, summary)
    form = summary.find_element(By.XPATH, "following-sibling::form")
    form.find_element(By.TAG_NAME, "textarea").send_keys("Đã rà soát 12 trường, lắp thêm 4 camera")
    press(driver, form.find_element(By.TAG_NAME, "button"))
    shoot(driver, "after-submit")
    assert "Đã báo cáo kết quả" in text(driver), driver.page_source[-3000:]

    # The committee closes it from its queue.
    sign_in(driver, baton, "chair")
    item = driver.find_element(By.XPATH, f"//a[normalize-space()='{title}']/ancestor::li")
    press(driver, item.find_element(By.XPATH, ".//button[normalize-space()='Đánh giá hoàn thành']"))
    assert title not in text(driver)

    # The standing office: the board by plan number, the agency's tasks, the statistics.
    sign_in(driver, baton, "office")
    driver.get(baton.url + "/board")
    Select(driver.find_element(By.ID, "plan")).select_by_visible_text(
        [o.text for o in Select(driver.find_element(By.ID, "plan")).options if o.text.startswith("15/KH-BCĐ138")][0])
    press(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert "Số liệu lúc" in text(driver) and re.search(r"Số liệu lúc \d\d/\d\d/\d{4} \d\d:\d\d", text(driver))
    assert driver.find_elements(By.CSS_SELECTOR, "td.overdue"), "overdue counts in red"
    shoot(driver, "board")
    driver.get(driver.find_element(By.LINK_TEXT, "Viện Kiểm sát nhân dân huyện Châu Thành A").get_attribute("href"))
    assert "Nhiệm vụ của Viện Kiểm sát nhân dân huyện Châu Thành A" in text(driver)
    assert "Báo cáo kết quả kiểm sát" in text(driver)
    driver.get(baton.url + "/stats")
    assert driver.find_element(By.CSS_SELECTOR, "svg.chart")
    assert "Hoàn thành đúng hạn" in text(driver)
    shoot(driver, "stats")
    history = requests.get(f"{baton.url}/v1/tasks?plan=", headers={"Authorization": "Bearer " + baton.people["chair"]["token"]})
    assert history.status_code in (200, 422)


def test_english_is_one_click_away_and_every_page_fits_400px(baton, driver):
    sign_in(driver, baton, "gd")
    driver.get(driver.find_element(By.CSS_SELECTOR, "a.lang").get_attribute("href"))
    assert "Our tasks" in text(driver)
    driver.get(driver.find_element(By.CSS_SELECTOR, "a.lang").get_attribute("href"))
    assert "Việc của đơn vị" in text(driver)
    for path in ("/tasks", "/notifications", "/board", "/stats"):
        driver.get(baton.url + path)
        driver.set_window_size(400, 900)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is wider than 400 px by {overflow}"
    driver.set_window_size(1280, 900)
    shoot(driver, "stats-gd")
    sign_in(driver, baton, "admin")
    driver.get(baton.url + "/admin/agencies?parent=UBND-CTA")
    assert "Công an huyện Châu Thành A" in text(driver)
    shoot(driver, "admin-agencies")
    driver.get(baton.url + "/admin/users")
    shoot(driver, "admin-users")


def test_the_keyboard_reaches_every_control(baton, driver):
    sign_in(driver, baton, "ca")
    driver.get(baton.url + "/tasks")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("class") == "skip", "the first stop skips to the content"
    seen = set()
    for _ in range(40):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        seen.add(driver.switch_to.active_element.get_attribute("href") or "")
    assert any(h.endswith("/notifications") for h in seen) and any("/tasks/" in h for h in seen)


def test_bad_input_never_breaks_a_page(baton, driver):
    # A wrong password: the message beside the form, the login kept.
    driver.delete_all_cookies()
    driver.get(baton.url + "/login")
    driver.find_element(By.ID, "login").send_keys("chair")
    driver.find_element(By.ID, "password").send_keys("not-the-password")
    press(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in text(driver)
    assert driver.find_element(By.ID, "login").get_attribute("value") == "chair"
    shoot(driver, "signin")

    # A plan titled with a script shows as text.
    sign_in(driver, baton, "chair")
    driver.get(baton.url + "/plans/new")
    driver.find_element(By.ID, "number").send_keys(uuid.uuid4().hex[:4] + "/KH-XSS")
    driver.find_element(By.ID, "title").send_keys("<script>alert(1)</script>")
    press(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert "<script>alert(1)</script>" in driver.find_element(By.TAG_NAME, "h1").text
    # No alert was raised: the page is still ours to read.
    assert "Kế hoạch" in text(driver)

    # A task without a title: the message beside the form, nothing created.
    driver.find_element(By.ID, "t-lead").send_keys("CA-CTA")
    driver.execute_script("document.getElementById('t-title').removeAttribute('required')")
    press(driver, driver.find_element(By.CSS_SELECTOR, "#assign button[type=submit]"))
    assert "Vui lòng nhập tiêu đề." in driver.find_element(By.ID, "assign-error").text
    assert driver.find_element(By.ID, "t-lead").get_attribute("value") == "CA-CTA"

    # A bad plan id, a missing page, a forged form: pages, never a 500.
    for path in ("/plans/not-a-uuid", "/tasks/00000000-0000-0000-0000-000000000000", "/board?plan=not-a-uuid", "/stats?period=2026-H9"):
        r = requests.get(baton.url + path, cookies={c["name"]: c["value"] for c in driver.get_cookies()}, allow_redirects=False)
        assert r.status_code in (200, 404, 422), f"{path}: {r.status_code}"
    r = requests.post(baton.url + "/plans", data={"number": "1/KH", "title": "x", "issued_on": "01/01/2026"},
                      cookies={c["name"]: c["value"] for c in driver.get_cookies()}, allow_redirects=False)
    assert r.status_code == 403

    # An ended session returns to sign-in, then to the page asked for.
    driver.delete_cookie("baton_session")
    driver.get(baton.url + "/queue")
    assert "/login" in driver.current_url
    driver.find_element(By.ID, "login").send_keys("chair")
    driver.find_element(By.ID, "password").send_keys(baton.people["chair"]["password"])
    press(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert driver.current_url.endswith("/queue")


def test_the_board_updates_by_itself(baton, driver):
    sign_in(driver, baton, "office")
    chair = {"Authorization": "Bearer " + baton.people["chair"]["token"]}
    plan = [p for p in requests.get(baton.url + "/v1/plans?limit=500", headers=chair).json()["items"] if p["number"] == "15/KH-BCĐ138"][0]
    driver.get(f"{baton.url}/board?plan={plan['id']}&sort=code")
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-live]").is_displayed())

    def open_count():
        row = driver.find_element(By.XPATH, "//th[a[normalize-space()='Công an huyện Châu Thành A']]/..")
        return int(row.find_elements(By.TAG_NAME, "td")[1].text)

    before = open_count()
    marker = driver.execute_script("window.notReloaded = true; return window.notReloaded")
    r = requests.post(baton.url + "/v1/tasks", headers=chair, json={
        "plan_id": plan["id"], "title": "Tăng cường tuần tra quanh trường học", "lead": "CA-CTA", "due": {"before": "2030-01-15"}})
    assert r.status_code == 201, r.text
    # The live update replaces the rows; a row read while it is being replaced is read again.
    WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: open_count() == before + 1)
    assert marker and driver.execute_script("return window.notReloaded") is True, "updated in place, not reloaded"
