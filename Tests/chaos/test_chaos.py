"""Chaos, bounded to about a minute: six writers carry tasks through three steps over REST while
PostgreSQL is restarted ten times, its backends are terminated in storms, and `baton serve` is killed
with SIGKILL and started again — the writers keep beginning tasks until the last of these, however
fast the machine. Every answer must be 200, 409 or 503 (a killed server answers nothing,
and its clients retry), and afterwards every task is where its confirmed steps put it, each step is
recorded exactly once, every event has its outbox row, and the history's hash chains hold."""
import os
import random
import shutil
import subprocess
import tempfile
import threading

from harness import as_app, Server, Writers, as_server_user, baton, district, free_port, make_cluster, pg_bin, psql

TASKS = 15000  # more than six writers finish in a minute: the work must outlast the chaos
STEPS = [("acknowledge", None), ("start", None), ("submit", "Đã xong")]


def test_nothing_is_lost_or_doubled_through_restarts_storms_and_kills():
    data = tempfile.mkdtemp(prefix="baton-chaos-")
    os.chmod(data, 0o755)
    directory = os.path.join(data, "db")
    pgdata, log = os.path.join(directory, "pgdata"), os.path.join(directory, "log", "postgres.log")
    url = f"postgresql://baton@/baton?host={os.path.join(directory, 'run')}"

    def pg_ctl(*args):
        r = subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", pgdata, "-l", log, "-w", "-t", "60", *args]),
                           capture_output=True, text=True, timeout=90)
        assert r.returncode == 0, f"pg_ctl {args}: {r.stdout}{r.stderr}"

    server = None
    try:
        make_cluster(directory)
        pg_ctl("start")
        ids, token = district(url, data, "CHAOS", TASKS)
        server = Server(as_app(url), free_port(), os.path.join(data, "serve.log"))
        server.start()
        chaos_done = threading.Event()
        writers = Writers(f"http://127.0.0.1:{server.port}", token, ids, STEPS, enough=chaos_done)
        stop = threading.Event()
        chaos_log = []

        def chaos():
            events = ["restart"] * 10 + ["storm"] * 4 + ["kill"] * 2
            random.shuffle(events)
            for e in events:
                if stop.wait(1.8):
                    return
                chaos_log.append(e)
                if e == "restart":
                    pg_ctl("restart", "-m", "fast")
                elif e == "storm":
                    psql(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'baton' AND pid <> pg_backend_pid()")
                else:
                    server.kill()
                    server.start()
            chaos_done.set()

        chaos_thread = threading.Thread(target=chaos)
        chaos_thread.start()
        writers.start().join()
        stop.set()
        chaos_thread.join(120)
        print("chaos events:", chaos_log, "tasks carried through:", len(writers.taken))
        assert sorted(chaos_log) == sorted(["restart"] * 10 + ["storm"] * 4 + ["kill"] * 2) and not writers.ran_out, \
            "the whole chaos ran under load (raise TASKS if the writers ran out)"
        taken = writers.taken
        writers.check(taken)
        assert psql(url, "SELECT count(*) FROM tasks WHERE state = 'submitted'") == str(len(taken))
        assert psql(url, "SELECT count(*) FROM tasks WHERE state <> 'assigned' AND state <> 'submitted'") == "0"
        for name, _ in STEPS:
            assert psql(url, f"SELECT count(*) FROM (SELECT task_id FROM task_events WHERE name = '{name}' "
                             "GROUP BY task_id HAVING count(*) <> 1) d") == "0", f"each {name} recorded exactly once"
            assert psql(url, f"SELECT count(DISTINCT task_id) FROM task_events WHERE name = '{name}'") == str(len(taken))
        assert psql(url, "SELECT count(*) FROM task_events e WHERE NOT EXISTS "
                         "(SELECT 1 FROM outbox o WHERE o.task_id = e.task_id AND o.event_seq = e.seq)") == "0", "every event has its outbox row"
        assert baton("audit", "verify", url=url).startswith("The history holds")
    finally:
        if server:
            server.stop()
        subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", pgdata, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
