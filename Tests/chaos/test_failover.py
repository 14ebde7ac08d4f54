"""Failover on loopback: a primary and a streaming standby made with pg_basebackup, synchronous
replication, `baton serve` given both hosts (libpq's multi-host URL with
target_session_attrs=read-write) and six writers acknowledging tasks. The primary is stopped
without a shutdown checkpoint (as a crash would leave it) and the standby promoted: Baton must serve
again within 10 seconds and no acknowledged transition may be lost."""
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import requests

from test_chaos import BATON, REPO, Server, as_server_user, baton, free_port, pg_bin

TASKS = 6000


def run(args, **kw):
    r = subprocess.run(as_server_user(args), capture_output=True, text=True, timeout=120, **kw)
    assert r.returncode == 0, f"{args}: {r.stdout}{r.stderr}"
    return r.stdout


def test_a_standby_takes_over_and_nothing_acknowledged_is_lost():
    data = tempfile.mkdtemp(prefix="baton-failover-")
    os.chmod(data, 0o755)
    primary = os.path.join(data, "primary")
    port = free_port()
    dev = subprocess.Popen([BATON, "dev", "--no-demo", "--data", primary, "--port", str(port)], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = None
    a_data, a_sock = os.path.join(primary, "pgdata"), os.path.join(primary, "run")
    b_dir = os.path.join(data, "standby")
    b_data, b_sock = os.path.join(b_dir, "pgdata"), os.path.join(b_dir, "run")
    ctl = pg_bin("pg_ctl")
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        os.killpg(dev.pid, signal_term())
        dev.wait(60)
        log_a = os.path.join(primary, "log", "postgres.log")
        run([ctl, "-D", a_data, "-l", log_a, "-w", "start"])
        url_a = f"postgresql://baton@/baton?host={a_sock}"
        for setting in ("wal_level = 'replica'", "max_wal_senders = 5", "synchronous_commit = 'on'",
                        "synchronous_standby_names = 'standby1'", "wal_keep_size = '256MB'"):
            subprocess.run(["psql", url_a, "-q", "-c", f"ALTER SYSTEM SET {setting}"], check=True, capture_output=True)
        run([ctl, "-D", a_data, "-l", log_a, "-w", "restart", "-m", "fast"])
        # The standby: a base backup of the primary, streaming from it, on its own socket directory.
        for d in (b_dir, os.path.join(b_dir, "log"), b_sock):
            os.makedirs(d, exist_ok=True)
        if os.geteuid() == 0:
            for d in (b_dir, os.path.join(b_dir, "log"), b_sock):
                shutil.chown(d, "postgres", "postgres")
        run([pg_bin("pg_basebackup"), "-D", b_data, "-R", "-X", "stream",
             "-d", f"host={a_sock} user=baton application_name=standby1"])
        with open(os.path.join(b_data, "baton.conf"), "a") as f:
            pass
        log_b = os.path.join(b_dir, "log", "postgres.log")
        run([ctl, "-D", b_data, "-l", log_b, "-w", "-o", f"-k {b_sock} -p 5433", "start"])
        url_b = f"postgresql://baton@/baton?host={b_sock}&port=5433"
        deadline = time.time() + 30
        while time.time() < deadline:
            state = subprocess.run(["psql", url_a, "-Atq", "-c", "SELECT sync_state FROM pg_stat_replication"], capture_output=True, text=True).stdout.strip()
            if state == "sync":
                break
            time.sleep(0.2)
        assert state == "sync", f"the standby is not synchronous: {state!r}"

        with open(os.path.join(data, "agencies.csv"), "w") as f:
            f.write("code,name,kind,parent\nUBND-F,Ủy ban nhân dân huyện (failover),people_committee,\n"
                    "BCD-F,Ban Chỉ đạo 138 (failover),steering_committee,UBND-F\nCA-F,Công an huyện (failover),police,UBND-F\n")
        baton("agency", "import", os.path.join(data, "agencies.csv"), url=url_a)
        with open(os.path.join(data, "plan.yaml"), "w") as f:
            f.write("number: FAILOVER/KH\ntitle: Kế hoạch thử chuyển máy\nissued_on: 2026-01-05\nissuer: BCD-F\ntasks:\n")
            for i in range(TASKS):
                f.write(f"  - {{key: t{i}, title: 'Nhiệm vụ {i}', lead: CA-F, due: {{before: 2030-01-15}}}}\n")
        baton("plan", "import", os.path.join(data, "plan.yaml"), url=url_a)
        baton("user", "add", "failover-ca", "--agency", "CA-F", "--role", "officer", url=url_a)
        token = baton("token", "issue", "failover-ca", url=url_a)
        ids = subprocess.run(["psql", url_a, "-Atq", "-c", "SELECT id FROM tasks ORDER BY id"], capture_output=True, text=True).stdout.split()

        both = f"postgresql://baton@/baton?host={a_sock},{b_sock}&port=5432,5433&target_session_attrs=read-write&connect_timeout=2"
        server = Server(both, free_port(), os.path.join(data, "serve.log"))
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        work = queue.Queue()
        for i in ids:
            work.put(i)
        acknowledged, answers, lock, odd = set(), {}, threading.Lock(), []
        first_ok_after = {}

        def writer():
            s = requests.Session()
            while True:
                try:
                    task = work.get_nowait()
                except queue.Empty:
                    return
                key = str(uuid.uuid4())
                for _ in range(300):
                    try:
                        r = s.post(f"{base}/v1/tasks/{task}/transitions", json={"name": "acknowledge"}, timeout=15,
                                   headers={"Authorization": "Bearer " + token, "Idempotency-Key": key})
                    except requests.RequestException:
                        time.sleep(0.1)
                        continue
                    with lock:
                        answers[r.status_code] = answers.get(r.status_code, 0) + 1
                        if r.status_code >= 500 and r.status_code != 503:
                            odd.append(r.text[:300])
                        if r.status_code == 200 and "stopped" in first_ok_after and "ok" not in first_ok_after:
                            first_ok_after["ok"] = time.time()
                    if r.status_code == 503 or (r.status_code == 409 and r.json().get("code") == "conflict"):
                        time.sleep(0.1)
                        continue
                    if r.status_code in (200, 409):
                        with lock:
                            acknowledged.add(task)
                    break

        writers = [threading.Thread(target=writer) for _ in range(6)]
        for w in writers:
            w.start()
        time.sleep(1.5)
        # The primary goes down as a crash leaves it; the standby is promoted.
        run([ctl, "-D", a_data, "-m", "immediate", "-w", "stop"])
        first_ok_after["stopped"] = time.time()
        run([ctl, "-D", b_data, "-w", "promote"])
        # The new primary has no standby of its own yet: as a failover manager does, it stops waiting for one.
        subprocess.run(["psql", url_b, "-q", "-c", "ALTER SYSTEM RESET synchronous_standby_names", "-c", "SELECT pg_reload_conf()"],
                       check=True, capture_output=True)
        for w in writers:
            w.join(120)
        print("answers by status:", answers, "served again after", round(first_ok_after.get("ok", 0) - first_ok_after["stopped"], 2), "s")
        assert "ok" in first_ok_after and first_ok_after["ok"] - first_ok_after["stopped"] < 10, "Baton served again within 10 s"
        if odd:
            print("odd answers:", odd, "server log:", [l for l in open(server.logfile) if "error" in l][-5:])
        assert set(answers) <= {200, 409, 503}, answers
        on_b = set(subprocess.run(["psql", url_b, "-Atq", "-c", "SELECT task_id FROM task_events WHERE name = 'acknowledge'"],
                                  capture_output=True, text=True).stdout.split())
        lost = acknowledged - on_b
        assert not lost, f"{len(lost)} acknowledged transitions lost in the failover"
        assert len(acknowledged) == TASKS
    finally:
        if server:
            server.stop()
        for d in (a_data, b_data):
            subprocess.run(as_server_user([ctl, "-D", d, "-m", "immediate", "stop"]), capture_output=True)
        if dev.poll() is None:
            os.killpg(dev.pid, 9)
        shutil.rmtree(data, ignore_errors=True)


def signal_term():
    import signal
    return signal.SIGTERM
