"""What the chaos and failover tests share: running baton and PostgreSQL's own tools, a district with
a plan of tasks, and writers that carry every task through its steps over REST, retrying what a
retry can cure and recording every answer."""
import glob
import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BATON = os.environ.get("BATON_BIN", os.path.join(REPO, ".build", "debug", "baton"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pg_bin(name):
    """A PostgreSQL server program: Debian's newest /usr/lib/postgresql/*/bin, else on PATH."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else (shutil.which(name) or name)


def as_server_user(args):
    """PostgreSQL refuses root: run its programs as `postgres` when we are root."""
    return (["runuser", "-u", "postgres", "--"] + args) if os.geteuid() == 0 else args


def baton(*args, url, input=None):
    r = subprocess.run([BATON, *args, "--database-url", url], cwd=REPO, capture_output=True, text=True, timeout=120, input=input)
    assert r.returncode == 0, f"baton {args}: {r.stderr}{r.stdout}"
    return r.stdout.strip()


def psql(url, sql):
    r = subprocess.run(["psql", url, "-Atq", "-c", sql], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def as_app(url):
    """The same database, as the role `baton serve` connects as in production (it cannot rewrite the history)."""
    return url.replace("postgresql://baton@", "postgresql://baton_app@", 1)


def answers(url, within):
    """Whether `url` answers 200 within `within` seconds, asked every tenth of a second."""
    deadline = time.time() + within
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return False


def make_cluster(directory):
    """A migrated cluster in `directory` (`baton dev` makes it, then stops), for the test to drive with pg_ctl."""
    port = free_port()
    dev = subprocess.Popen([BATON, "dev", "--no-demo", "--data", directory, "--port", str(port)], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if not answers(f"http://127.0.0.1:{port}/readyz", within=120):
            raise RuntimeError("baton dev did not make its cluster")
        os.killpg(dev.pid, signal.SIGTERM)
        dev.wait(60)
    finally:
        if dev.poll() is None:
            os.killpg(dev.pid, signal.SIGKILL)


def district(url, data, tag, tasks):
    """A district's agencies, a plan of `tasks` tasks led by its police, and an officer's token: (task ids, token)."""
    with open(os.path.join(data, "agencies.csv"), "w") as f:
        f.write(f"code,name,kind,parent\nUBND-{tag},Ủy ban nhân dân huyện ({tag}),people_committee,\n"
                f"BCD-{tag},Ban Chỉ đạo 138 ({tag}),steering_committee,UBND-{tag}\nCA-{tag},Công an huyện ({tag}),police,UBND-{tag}\n")
    baton("agency", "import", os.path.join(data, "agencies.csv"), url=url)
    with open(os.path.join(data, "plan.yaml"), "w") as f:
        f.write(f"number: {tag}/KH\ntitle: Kế hoạch thử sức chịu đựng\nissued_on: 2026-01-05\nissuer: BCD-{tag}\ntasks:\n")
        for i in range(tasks):
            f.write(f"  - {{key: t{i}, title: 'Nhiệm vụ {i}', lead: CA-{tag}, due: {{before: 2030-01-15}}}}\n")
    baton("plan", "import", os.path.join(data, "plan.yaml"), url=url)
    login = f"ca-{tag.lower()}"
    baton("user", "add", login, "--agency", f"CA-{tag}", "--role", "officer", url=url)
    ids = psql(url, "SELECT id FROM tasks ORDER BY id").split("\n")
    assert len(ids) == tasks
    return ids, baton("token", "issue", login, url=url)


class Server:
    """`baton serve` on a port of its own, which the test may kill and start again."""

    def __init__(self, url, port, log, read_url=None):
        self.url, self.port, self.logfile, self.read_url = url, port, log, read_url
        self.proc = None

    def start(self):
        log = open(self.logfile, "a")
        reads = ["--read-database-url", self.read_url] if self.read_url else []
        self.proc = subprocess.Popen([BATON, "serve", "--database-url", self.url, "--port", str(self.port), "--rate-limit", "0", *reads],
                                     cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if not answers(f"http://127.0.0.1:{self.port}/healthz", within=60):
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


class Writers:
    """Six writers carrying every task through `steps` ((name, note) pairs), one after the other. A step
    is retried on no answer (the server is down), on 503, and on 409 `conflict` (its Idempotency-Key's
    first attempt is still running, or was abandoned: taken over at once by the server that ran it, after 45 s
    by another, e.g. a restarted one). 200 or another 409
    (already done by an attempt whose answer was lost) confirms it; anything else is wrong."""

    def __init__(self, base, token, ids, steps, on_answer=lambda status: None, enough=None):
        """`enough`: an event after which no new task is begun (the ones begun are carried through); `taken` lists
        the tasks begun, `ran_out` says whether the work ended first."""
        self.base, self.token, self.steps, self.on_answer, self.enough = base, token, steps, on_answer, enough
        self.work = queue.Queue()
        for i in ids:
            self.work.put(i)
        self.taken, self.ran_out = [], False
        self.answers, self.done, self.trail, self.wrong = {}, {}, {}, []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write) for _ in range(6)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def join(self, timeout=120):
        for t in self.threads:
            t.join(timeout)

    def write(self):
        session = requests.Session()
        while True:
            if self.enough is not None and self.enough.is_set():
                return
            try:
                task = self.work.get_nowait()
            except queue.Empty:
                self.ran_out = True
                return
            with self.lock:
                self.taken.append(task)
            for name, note in self.steps:
                key = str(uuid.uuid4())
                body = {"name": name} | ({"note": note} if note else {})
                for _ in range(400):
                    try:
                        r = session.post(f"{self.base}/v1/tasks/{task}/transitions", json=body, timeout=15,
                                         headers={"Authorization": "Bearer " + self.token, "Idempotency-Key": key})
                    except requests.RequestException:
                        time.sleep(0.1)
                        continue
                    with self.lock:
                        self.answers[r.status_code] = self.answers.get(r.status_code, 0) + 1
                        self.trail.setdefault(task, []).append((name, r.status_code, r.text[:120]))
                    self.on_answer(r.status_code)
                    if r.status_code == 503 or (r.status_code == 409 and r.json().get("code") == "conflict"):
                        time.sleep(0.2)
                        continue
                    with self.lock:
                        if r.status_code in (200, 409):
                            self.done[task] = self.done.get(task, 0) + 1
                        else:
                            self.wrong.append((task, name, r.status_code, r.text[:300]))
                    break

    def check(self, ids):
        """Every answer 200, 409 or 503, and every task carried through all its steps."""
        print("answers by status:", dict(sorted(self.answers.items())))
        assert not self.wrong, f"answers other than 200, 409 or 503: {self.wrong[:5]}"
        assert set(self.answers) <= {200, 409, 503}, self.answers
        short = [i for i in ids if self.done.get(i) != len(self.steps)]
        assert not short, f"{len(short)} tasks not carried through, e.g. {short[0]}: {self.trail.get(short[0])}"
