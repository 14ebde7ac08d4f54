import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers
import Synchronization

/// Single statements, many in flight: connections in libpq's pipeline mode.
///
/// The caller's thread writes its statement straight into the least busy connection (prepared on
/// first use, then reused, and followed by a sync point, so each statement is its own
/// transaction) and suspends. One I/O thread waits on all the sockets, reads results as they
/// arrive and resumes the callers: one hop per statement, and under load one wake-up serves many.
/// For several statements in one transaction, use `PostgresPool`.
public final class PostgresPipeline: Sendable {
    public let configuration: PostgresConfiguration
    public let size: Int
    private let state: Mutex<State>
    /// A self-pipe: a byte written wakes the I/O thread from `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let logger: Logger

    /// Opens nothing yet: the I/O thread starts, and opens the connections, with the first statement.
    public init(configuration: PostgresConfiguration, size: Int = 8, logger: Logger = Logger(label: "baton.postgres")) {
        self.configuration = configuration
        self.size = max(1, size)
        self.logger = logger
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        state = Mutex(State(lanes: (0..<max(1, size)).map { _ in Lane() }))
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Runs one statement (its own transaction) and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(sql: query.sql, binds: query.binds, continuation: continuation)
            let (start, lane) = state.withLock { s -> (Bool, Lane?) in
                if s.stopping { return (false, nil) }
                let start = !s.started
                s.started = true
                guard let lane = Lane.leastBusy(s.lanes) else {
                    s.backlog.append(job)
                    return (start, nil)
                }
                return (start, lane)
            }
            if start {
                let thread = Thread { [self] in run() }
                thread.name = "pg-pipeline"
                thread.start()
            }
            guard let lane else {
                if state.withLock({ $0.stopping && !$0.backlog.contains { $0 === job } }) {
                    job.error = PostgresError(code: .connectionBroken, message: "the pipeline is shut down")
                    job.complete()
                } else if !start {
                    signal()
                }
                return
            }
            // Write it ourselves; the I/O thread needs waking only to finish a partial write or reopen.
            let (sent, needsThread) = lane.lock.withLock { (lane.send(job), lane.wantsWrite || lane.handle == nil) }
            if !sent { job.complete() }
            if needsThread { signal() }
        }
    }

    /// Stops the I/O thread once in-flight statements are answered, and closes the connections.
    public func shutdown() async {
        let running = state.withLock { s -> Bool in
            s.stopping = true
            return s.started && !s.finished
        }
        guard running else { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { s -> Bool in
                if s.finished { return true }
                s.stopped.append(c)
                return false
            }
            if finished { c.resume() } else { signal() }
        }
    }

    private func signal() {
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    // MARK: - The I/O thread

    private func run() {
        // Open every connection first; statements that came meanwhile wait in the backlog.
        let lanes = state.withLock { $0.lanes }
        for lane in lanes {
            let handle = Self.connect(configuration, logger)
            lane.lock.withLock { lane.opened(handle) }
        }
        var fds: [pollfd] = []
        var polled: [Lane] = []
        var results: [(Job, OpaquePointer, ColumnLayout?)] = []
        var completed: [Job] = []
        while true {
            let (backlog, stopping) = state.withLock { s -> ([Job], Bool) in
                defer { s.backlog.removeAll() }
                return (s.backlog, s.stopping)
            }
            for job in backlog {
                guard let lane = Lane.leastBusy(lanes), lane.lock.withLock({ lane.send(job) }) else {
                    if job.error == nil { job.error = PostgresError(code: .connectionBroken, message: "no connection to PostgreSQL") }
                    completed.append(job)
                    continue
                }
            }
            fds.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            var idle = true
            var broken: [Lane] = []
            for lane in lanes {
                lane.lock.withLock {
                    guard let h = lane.handle else {
                        broken.append(lane)
                        return
                    }
                    if lane.pending > 0 { idle = false }
                    polled.append(lane)
                    fds.append(pollfd(fd: PQsocket(h), events: Int16(POLLIN) | (lane.wantsWrite ? Int16(POLLOUT) : 0), revents: 0))
                }
            }
            finish(&results, &completed)
            if stopping && idle && state.withLock({ $0.backlog.isEmpty }) { break }
            // Reopen broken connections between waits, at most once a second each, while the others
            // keep serving; the wait ends in time for the next attempt.
            var timeout: Int32 = -1
            if !stopping {
                let now = ContinuousClock.now
                for lane in broken {
                    if lane.retryAt <= now {
                        let handle = Self.connect(configuration, logger)
                        lane.lock.withLock { lane.opened(handle) }
                        lane.retryAt = now + .seconds(1)
                        if handle != nil { signal() }  // poll it from the next round
                    }
                    let wait = now.duration(to: lane.retryAt).components
                    let ms = Int32(max(0, min(1_000, wait.seconds * 1_000 + wait.attoseconds / 1_000_000_000_000_000)))
                    timeout = timeout < 0 ? ms : min(timeout, ms)
                }
            }
            if poll(&fds, nfds_t(fds.count), timeout) < 0 { continue }
            if fds[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            for (i, lane) in polled.enumerated() where fds[i + 1].revents != 0 {
                let revents = fds[i + 1].revents
                lane.lock.withLock {
                    if revents & Int16(POLLOUT) != 0 { lane.flush(&completed) }
                    if revents & Int16(POLLIN | POLLERR | POLLHUP | POLLNVAL) != 0 { lane.receive(&results, &completed) }
                }
            }
            finish(&results, &completed)
        }
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.finished = true
            defer { s.stopped.removeAll() }
            return s.stopped
        }
        for lane in lanes {
            lane.lock.withLock {
                if let h = lane.handle { PQfinish(h) }
                lane.handle = nil
            }
        }
        for w in waiters { w.resume() }
    }

    /// Outside any lock: turns results into rows and resumes the callers.
    private func finish(_ results: inout [(Job, OpaquePointer, ColumnLayout?)], _ completed: inout [Job]) {
        for (job, result, layout) in results {
            let status = PQresultStatus(result)
            if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_SINGLE_TUPLE {
                do {
                    job.rows = try PostgresConnection.rows(borrowing: result, nil, layout: layout)
                } catch {
                    job.error = error as? PostgresError ?? PostgresError(code: .client, message: "\(error)")
                }
            } else if status != PGRES_PIPELINE_ABORTED, job.error == nil {
                job.error = PostgresError.from(result: result, connection: nil)
            }
            PQclear(result)
        }
        results.removeAll(keepingCapacity: true)
        for job in completed { job.complete() }
        completed.removeAll(keepingCapacity: true)
    }

    private static func connect(_ configuration: PostgresConfiguration, _ logger: Logger) -> OpaquePointer? {
        do {
            let connection = try PostgresConnection(configuration)
            guard let h = connection.detachHandle() else { return nil }
            guard PQsetnonblocking(h, 1) == 0, PQenterPipelineMode(h) == 1 else {
                PQfinish(h)
                return nil
            }
            return h
        } catch {
            logger.warning("cannot open a pipelined connection", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// What the callers and the I/O thread share, behind one lock (each lane has its own).
    struct State: ~Copyable {
        let lanes: [Lane]
        var backlog: [Job] = []
        var started = false
        var stopping = false
        var finished = false
        var stopped: [CheckedContinuation<Void, Never>] = []
    }
}

/// One statement waiting for its result.
final class Job: @unchecked Sendable {
    let sql: String
    let binds: [String?]
    let continuation: CheckedContinuation<PostgresRows, any Error>
    var rows: PostgresRows?
    var error: PostgresError?

    init(sql: String, binds: [String?], continuation: CheckedContinuation<PostgresRows, any Error>) {
        self.sql = sql
        self.binds = binds
        self.continuation = continuation
    }

    func complete() {
        if let error { continuation.resume(throwing: error) }
        else { continuation.resume(returning: rows ?? PostgresRows(layout: .empty, values: [], affectedRows: 0)) }
    }
}

/// One connection in pipeline mode and what it has been sent, in order. Everything but `load`
/// is used only while holding `lock`.
final class Lane: @unchecked Sendable {
    enum Step { case prepare(Job, String), execute(Job), sync(Job) }
    let lock = NIOLock()
    /// Statements sent and not yet answered; read without the lock to choose a lane.
    let load = Atomic<Int>(Lane.closed)
    static let closed = Int.max / 2
    var handle: OpaquePointer?
    var statements: [String: (name: String, layout: ColumnLayout?)] = [:]
    var steps: [Step] = []
    var head = 0
    var jobs = 0
    var counter = 0
    var wantsWrite = false
    /// When the I/O thread may next try to reopen a broken connection (used by that thread only).
    var retryAt = ContinuousClock.now

    var pending: Int { steps.count - head }

    /// An open lane with the fewest statements in flight (read racily: a hint, not a promise).
    static func leastBusy(_ lanes: [Lane]) -> Lane? {
        var best: Lane?
        var bestLoad = Int.max
        for lane in lanes {
            let load = lane.load.load(ordering: .relaxed)
            if load >= closed { continue }
            if load < bestLoad { best = lane; bestLoad = load }
            if load == 0 { break }
        }
        return best
    }

    func opened(_ h: OpaquePointer?) {
        handle = h
        if h != nil { load.store(jobs, ordering: .relaxed) }
    }

    /// Writes prepare (first use), execute and sync; false when the connection failed (the job carries the error).
    func send(_ job: Job) -> Bool {
        guard let h = handle else {
            job.error = PostgresError(code: .connectionBroken, message: "no connection")
            return false
        }
        let name: String
        if let statement = statements[job.sql] {
            name = statement.name
        } else {
            counter += 1
            name = "p\(counter)"
            guard PQsendPrepare(h, name, job.sql, 0, nil) == 1 else { return failed(job) }
            statements[job.sql] = (name, nil)
            steps.append(.prepare(job, job.sql))
        }
        let sent = PostgresConnection.withBinds(job.binds) { count, pointers in
            PQsendQueryPrepared(h, name, count, pointers, nil, nil, 0)
        }
        guard sent == 1 else { return failed(job) }
        steps.append(.execute(job))
        guard PQpipelineSync(h) == 1 else { return failed(job) }
        steps.append(.sync(job))
        jobs += 1
        load.store(jobs, ordering: .relaxed)
        switch PQflush(h) {
        case 0: wantsWrite = false
        case 1: wantsWrite = true
        default: return failed(job)
        }
        return true
    }

    private func failed(_ job: Job) -> Bool {
        job.error = PostgresError.from(result: nil, connection: handle)
        var others: [Job] = []
        broken(&others)
        for other in others where other !== job { other.complete() }
        return false
    }

    func flush(_ completed: inout [Job]) {
        guard let h = handle else { return }
        switch PQflush(h) {
        case 0: wantsWrite = false
        case 1: wantsWrite = true
        default: broken(&completed)
        }
    }

    /// Takes the results that have arrived (converted later, outside the lock); a job is complete
    /// when its sync point comes back.
    func receive(_ results: inout [(Job, OpaquePointer, ColumnLayout?)], _ completed: inout [Job]) {
        guard let h = handle else { return }
        guard PQconsumeInput(h) == 1 else { return broken(&completed) }
        while head < steps.count, PQisBusy(h) == 0 {
            let result = PQgetResult(h)
            switch steps[head] {
            case .sync(let job):
                if let result { PQclear(result) }
                head += 1
                jobs -= 1
                load.store(jobs, ordering: .relaxed)
                completed.append(job)
            case .prepare(let job, let sql):
                guard let result else { head += 1; continue }
                if PQresultStatus(result) != PGRES_COMMAND_OK {
                    job.error = job.error ?? PostgresError.from(result: result, connection: h)
                    statements[sql] = nil
                }
                PQclear(result)
            case .execute(let job):
                guard let result else { head += 1; continue }
                let known = statements[job.sql]
                if known?.layout == nil, PQresultStatus(result) == PGRES_TUPLES_OK, let known {
                    // Learn the statement's columns once.
                    let n = Int(PQnfields(result))
                    let layout = ColumnLayout(names: (0..<n).map { String(cString: PQfname(result, Int32($0))) })
                    statements[job.sql] = (known.name, layout)
                    results.append((job, result, layout))
                } else {
                    results.append((job, result, known?.layout))
                }
            }
        }
        if head > 64 && head * 2 > steps.count {
            steps.removeFirst(head)
            head = 0
        }
        if PQstatus(h) != CONNECTION_OK { broken(&completed) }
    }

    /// The connection failed: every job it holds fails; the I/O thread reopens it.
    func broken(_ completed: inout [Job]) {
        for step in steps[head...] {
            if case .sync(let job) = step {
                job.error = job.error ?? PostgresError(code: .connectionBroken, message: "the connection to PostgreSQL broke")
                completed.append(job)
            }
        }
        steps.removeAll()
        head = 0
        jobs = 0
        load.store(Lane.closed, ordering: .relaxed)
        wantsWrite = false
        statements.removeAll()
        if let h = handle { PQfinish(h) }
        handle = nil
    }
}
