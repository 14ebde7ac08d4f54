"""Chaos, bounded to about a minute: six writers acknowledge tasks over REST while PostgreSQL is
restarted ten times, its backends are terminated in storms, and `baton serve` is killed with
SIGKILL and started again. Every answer must be 2xx, 409 or 503 (a killed server answers nothing,
and its clients retry), and afterwards every acknowledged task holds exactly one acknowledgement,
every event has its outbox row, and the history's hash chains hold."""
import glob
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BATON = os.environ.get("BATON_BIN", os.path.join(REPO, ".build", "debug", "baton"))
TASKS = 2000
# Each task is carried through these steps, one after the other; 409 on a step means it was done by an
# attempt whose answer was lost (the commit happened, the connection did not survive to tell).
STEPS = [("acknowledge", None, "acknowledged"), ("start", None, "in_progress"), ("submit", "Đã xong", "submitted")]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pg_bin(name):
    found = shutil.which(name)
    if found and "postgresql" not in found and os.path.basename(os.path.dirname(found)) != "bin":
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else (found or name)


def as_server_user(args):
    return (["runuser", "-u", "postgres", "--"] + args) if os.geteuid() == 0 else args


class Cluster:
    """The private cluster `baton dev` made, driven here with pg_ctl so it can be restarted under load."""

    def __init__(self, data):
        self.data = data
        self.pgdata = os.path.join(data, "pgdata")
        self.log = os.path.join(data, "log", "postgres.log")  # the server user writes it
        self.url = f"postgresql://baton@/baton?host={os.path.join(data, 'run')}"

    def ctl(self, *args):
        r = subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", self.pgdata, "-l", self.log, "-w", "-t", "60", *args]),
                           capture_output=True, text=True, timeout=90)
        assert r.returncode == 0, f"pg_ctl {args}: {r.stdout}{r.stderr}"

    def psql(self, sql):
        r = subprocess.run(["psql", self.url, "-Atq", "-c", sql], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()


def baton(*args, url, input=None):
    r = subprocess.run([BATON, *args, "--database-url", url], cwd=REPO, capture_output=True, text=True, timeout=120, input=input)
    assert r.returncode == 0, f"baton {args}: {r.stderr}{r.stdout}"
    return r.stdout.strip()


class Server:
    def __init__(self, url, port, log):
        self.url, self.port, self.logfile = url, port, log
        self.proc = None

    def start(self):
        log = open(self.logfile, "a")
        self.proc = subprocess.Popen([BATON, "serve", "--database-url", self.url, "--port", str(self.port), "--rate-limit", "0"],
                                     cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("baton serve did not start: " + open(self.logfile).read()[-2000:])

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def test_nothing_acknowledged_is_lost_or_doubled_through_restarts_storms_and_kills():
    data = tempfile.mkdtemp(prefix="baton-chaos-")
    os.chmod(data, 0o755)
    cluster = Cluster(os.path.join(data, "db"))
    # baton dev makes, migrates and loads the cluster; then it stops and the test drives it.
    port = free_port()
    dev = subprocess.Popen([BATON, "dev", "--no-demo", "--data", cluster.data, "--port", str(port)], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = None
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        os.killpg(dev.pid, signal.SIGTERM)
        dev.wait(60)
        cluster.ctl("start")
        url = cluster.url
        with open(os.path.join(data, "agencies.csv"), "w") as f:
            f.write("code,name,kind,parent\nUBND-C,Ủy ban nhân dân huyện (chaos),people_committee,\n"
                    "BCD-C,Ban Chỉ đạo 138 (chaos),steering_committee,UBND-C\nCA-C,Công an huyện (chaos),police,UBND-C\n")
        baton("agency", "import", os.path.join(data, "agencies.csv"), url=url)
        with open(os.path.join(data, "plan.yaml"), "w") as f:
            f.write("number: CHAOS/KH\ntitle: Kế hoạch thử sức chịu đựng\nissued_on: 2026-01-05\nissuer: BCD-C\ntasks:\n")
            for i in range(TASKS):
                f.write(f"  - {{key: t{i}, title: 'Nhiệm vụ {i}', lead: CA-C, due: {{before: 2030-01-15}}}}\n")
        baton("plan", "import", os.path.join(data, "plan.yaml"), url=url)
        baton("user", "add", "chaos-ca", "--agency", "CA-C", "--role", "officer", url=url)
        token = baton("token", "issue", "chaos-ca", url=url)
        ids = cluster.psql("SELECT id FROM tasks ORDER BY id").split("\n")
        assert len(ids) == TASKS

        port = free_port()
        server = Server(url, port, os.path.join(data, "serve.log"))
        server.start()
        base = f"http://127.0.0.1:{port}"
        work = queue.Queue()
        for i in ids:
            work.put(i)
        answers = {}            # status → count
        done = {}               # task → steps confirmed by 200 or 409
        trail = {}              # task → every answer, for the report
        wrong = []
        lock = threading.Lock()
        stop_chaos = threading.Event()

        def writer():
            session = requests.Session()
            while True:
                try:
                    task = work.get_nowait()
                except queue.Empty:
                    return
                for name, note, _ in STEPS:
                    key = str(uuid.uuid4())
                    body = {"name": name} | ({"note": note} if note else {})
                    for _ in range(400):
                        try:
                            r = session.post(f"{base}/v1/tasks/{task}/transitions", json=body, timeout=10,
                                             headers={"Authorization": "Bearer " + token, "Idempotency-Key": key})
                        except requests.RequestException:
                            time.sleep(0.1)        # the server is down: nobody answered; try again
                            continue
                        with lock:
                            answers[r.status_code] = answers.get(r.status_code, 0) + 1
                            trail.setdefault(task, []).append((name, r.status_code, r.text[:120] if r.status_code != 200 else r.json().get("state")))
                        # 503: try again later; 409 `conflict`: the first attempt with this key is still
                        # running, or was abandoned when the database went away (taken over after 10 s).
                        if r.status_code == 503 or (r.status_code == 409 and r.json().get("code") == "conflict"):
                            time.sleep(0.2)
                            continue
                        with lock:
                            if r.status_code in (200, 409):
                                done[task] = done.get(task, 0) + 1
                            else:
                                wrong.append((task, name, r.status_code, r.text[:300]))
                        break

        chaos_log = []

        def chaos():
            events = ["restart"] * 10 + ["storm"] * 4 + ["kill"] * 2
            random.shuffle(events)
            for e in events:
                if stop_chaos.wait(1.8):
                    return
                chaos_log.append(e)
                if e == "restart":
                    cluster.ctl("restart", "-m", "fast")
                elif e == "storm":
                    cluster.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'baton' AND pid <> pg_backend_pid()")
                else:
                    server.kill()
                    time.sleep(0.3)
                    server.start()

        chaos_thread = threading.Thread(target=chaos)
        chaos_thread.start()
        writers = [threading.Thread(target=writer) for _ in range(6)]
        for w in writers:
            w.start()
        for w in writers:
            w.join(120)
        stop_chaos.set()
        chaos_thread.join(120)

        print("answers by status:", dict(sorted(answers.items())), "chaos events:", chaos_log)
        assert not wrong, f"answers other than 2xx, 409 or 503: {wrong[:5]}"
        assert set(answers) <= {200, 409, 503}, answers
        assert all(done.get(i) == len(STEPS) for i in ids), f"{sum(1 for i in ids if done.get(i) != len(STEPS))} tasks not carried through"
        stuck = cluster.psql("SELECT string_agg(t.id::text || ' ' || t.state || ' v' || t.version || ' [' || "
                             "(SELECT string_agg(e.seq || ':' || e.name, ',' ORDER BY e.seq) FROM task_events e WHERE e.task_id = t.id) || ']', '; ') "
                             "FROM tasks t WHERE t.state <> 'submitted'")
        if stuck:
            with open("/tmp/chaos-trail.txt", "w") as f:
                for line in stuck.split("; "):
                    t = line.split(" ")[0]
                    f.write(line + "\n")
                    for step in trail.get(t, []):
                        f.write(f"    {step}\n")
        assert not stuck, f"tasks not where their confirmed steps put them: {stuck} — answers {[(a, trail.get(a)) for a in stuck.split(' ')[:1]]}"
        for name, _, _ in STEPS:
            assert cluster.psql(f"SELECT count(*) FROM (SELECT task_id FROM task_events WHERE name = '{name}' "
                                "GROUP BY task_id HAVING count(*) <> 1) d") == "0", f"each {name} recorded exactly once"
            assert cluster.psql(f"SELECT count(DISTINCT task_id) FROM task_events WHERE name = '{name}'") == str(TASKS)
        assert cluster.psql("SELECT count(*) FROM task_events e WHERE NOT EXISTS "
                            "(SELECT 1 FROM outbox o WHERE o.task_id = e.task_id AND o.event_seq = e.seq)") == "0", "every event has its outbox row"
        assert baton("audit", "verify", url=url).startswith("The history holds")
    finally:
        if server:
            server.stop()
        try:
            cluster.ctl("stop", "-m", "fast")
        except AssertionError:
            pass
        if dev.poll() is None:
            os.killpg(dev.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)
