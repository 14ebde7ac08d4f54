"""Failover on loopback: a primary and a streaming standby made with pg_basebackup, synchronous
replication, `baton serve` given both hosts (libpq's multi-host URL with
target_session_attrs=read-write) and six writers acknowledging tasks. The primary is stopped
without a shutdown checkpoint (as a crash would leave it) and the standby promoted: Baton must serve
again within 10 seconds and no acknowledged transition may be lost. Its lists are read on the standby
(`--read-database-url`) until the failover, and it connects as the application's role."""
import os
import shutil
import subprocess
import tempfile
import requests
import time
import uuid

from harness import as_app, Server, Writers, as_server_user, district, free_port, make_cluster, pg_bin, psql

TASKS = 6000


def run(args):
    r = subprocess.run(as_server_user(args), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"{args}: {r.stdout}{r.stderr}"


def lists_come_from_the_standby(server, token, task, url_b):
    """With the standby's replay paused, a change is on the primary (the task reads it) but not yet in
    the list read on the standby (`--read-database-url`); once replay resumes, the list has it."""
    base, auth = f"http://127.0.0.1:{server.port}", {"Authorization": f"Bearer {token}"}

    def acknowledged_in_list():
        r = requests.get(f"{base}/v1/tasks", params={"state": "acknowledged", "limit": 500}, headers=auth, timeout=10)
        assert r.status_code == 200, r.text
        return [t["id"] for t in r.json()["items"]]

    psql(url_b, "SELECT pg_wal_replay_pause()")
    try:
        r = requests.post(f"{base}/v1/tasks/{task}/transitions", json={"name": "acknowledge"},
                          headers={**auth, "Idempotency-Key": str(uuid.uuid4())}, timeout=10)
        assert r.status_code == 200, r.text
        assert requests.get(f"{base}/v1/tasks/{task}", headers=auth, timeout=10).json()["state"] == "acknowledged"
        assert task not in acknowledged_in_list(), "the list was read on the primary"
    finally:
        psql(url_b, "SELECT pg_wal_replay_resume()")
    deadline = time.time() + 10
    while task not in acknowledged_in_list():
        assert time.time() < deadline, "the standby never showed the change"
        time.sleep(0.1)


def test_a_standby_takes_over_and_nothing_acknowledged_is_lost():
    data = tempfile.mkdtemp(prefix="baton-failover-")
    os.chmod(data, 0o755)
    primary, standby = os.path.join(data, "primary"), os.path.join(data, "standby")
    a_data, a_sock = os.path.join(primary, "pgdata"), os.path.join(primary, "run")
    b_data, b_sock = os.path.join(standby, "pgdata"), os.path.join(standby, "run")
    url_a = f"postgresql://baton@/baton?host={a_sock}"
    url_b = f"postgresql://baton@/baton?host={b_sock}&port=5433"
    ctl = pg_bin("pg_ctl")
    server = None
    try:
        make_cluster(primary)
        log_a = os.path.join(primary, "log", "postgres.log")
        run([ctl, "-D", a_data, "-l", log_a, "-w", "start"])
        for setting in ("wal_level = 'replica'", "max_wal_senders = 5", "synchronous_commit = 'on'",
                        "synchronous_standby_names = 'standby1'", "wal_keep_size = '256MB'"):
            psql(url_a, f"ALTER SYSTEM SET {setting}")
        run([ctl, "-D", a_data, "-l", log_a, "-w", "restart", "-m", "fast"])
        # The standby: a base backup of the primary, streaming from it, on its own socket directory and port.
        for d in (standby, os.path.join(standby, "log"), b_sock):
            os.makedirs(d, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(d, "postgres", "postgres")
        run([pg_bin("pg_basebackup"), "-D", b_data, "-R", "-X", "stream", "-d", f"host={a_sock} user=baton application_name=standby1"])
        run([ctl, "-D", b_data, "-l", os.path.join(standby, "log", "postgres.log"), "-w", "-o", f"-k {b_sock} -p 5433", "start"])
        deadline = time.time() + 30
        while psql(url_a, "SELECT coalesce(string_agg(sync_state, ','), '') FROM pg_stat_replication") != "sync" and time.time() < deadline:
            time.sleep(0.2)
        assert psql(url_a, "SELECT string_agg(sync_state, ',') FROM pg_stat_replication") == "sync", "the standby is synchronous"

        ids, token = district(url_a, data, "FAILOVER", TASKS)
        both = f"postgresql://baton@/baton?host={a_sock},{b_sock}&port=5432,5433&target_session_attrs=read-write&connect_timeout=2"
        server = Server(as_app(both), free_port(), os.path.join(data, "serve.log"), read_url=as_app(url_b))
        server.start()
        lists_come_from_the_standby(server, token, ids[0], url_b)
        moments = {}

        def on_answer(status):
            if status == 200 and "stopped" in moments:
                moments.setdefault("served", time.time())

        writers = Writers(f"http://127.0.0.1:{server.port}", token, ids[1:], [("acknowledge", None)], on_answer).start()
        time.sleep(1.5)
        # The primary goes down as a crash leaves it; the standby is promoted and, as a failover manager
        # does, stops waiting for a synchronous standby of its own until it has one.
        run([ctl, "-D", a_data, "-m", "immediate", "-w", "stop"])
        moments["stopped"] = time.time()
        run([ctl, "-D", b_data, "-w", "promote"])
        psql(url_b, "ALTER SYSTEM RESET synchronous_standby_names")
        psql(url_b, "SELECT pg_reload_conf()")
        writers.join()
        print("served again after", round(moments.get("served", float("inf")) - moments["stopped"], 2), "s")
        writers.check(ids[1:])
        assert moments.get("served", float("inf")) - moments["stopped"] < 10, "Baton served again within 10 s"
        on_b = set(psql(url_b, "SELECT task_id FROM task_events WHERE name = 'acknowledge'").split())
        assert set(ids) <= on_b, f"{len(set(ids) - on_b)} acknowledged transitions lost in the failover"
    finally:
        if server:
            server.stop()
        for d in (a_data, b_data):
            subprocess.run(as_server_user([ctl, "-D", d, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
