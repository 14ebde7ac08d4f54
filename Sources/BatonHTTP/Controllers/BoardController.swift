import BatonCore
import BatonStore
import Hummingbird

/// The pending-by-agency board: `/v1/board` as JSON or CSV, `/board` as a page for people.
struct BoardController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("board") { request, context in
            let filter = BoardFilter(plan: try Query.uuid(request, "plan"),
                                     kind: try request.query("kind").map { try Text.kind($0, field: "kind") },
                                     under: try Query.code(request, "under"))
            let board = try await store.board(filter, for: try context.caller())
            return request.wantsCSV ? .csv(board.csv, filename: "board.csv") : try .json(board)
        }
    }

    /// A page that asks for a token once (kept in this browser) and shows `/v1/board` as a table.
    static let page = """
        <!doctype html>
        <html lang="vi"><head><meta charset="utf-8"><title>Baton — bảng theo dõi</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
        th,td{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:right}th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}
        .late{color:#b00020;font-weight:600}#token{width:28rem}small{color:#666}
        </style></head><body>
        <h1>Bảng theo dõi nhiệm vụ theo đơn vị</h1>
        <p><small>Pending-by-agency board. Filters come from this page's address: ?plan=…&amp;kind=…&amp;under=…</small></p>
        <form id="login" hidden><label>Bearer token <input id="token" autocomplete="off"></label> <button>Xem</button></form>
        <p id="asof"></p><table id="board"><thead><tr>
        <th>Đơn vị</th><th>Tên</th><th>Đang mở</th><th>Chưa tiếp nhận</th><th>Quá hạn</th><th>Sắp đến hạn</th>
        <th>Đã xong</th><th>Đúng hạn</th><th>Trễ hạn</th><th>Tỷ lệ đúng hạn</th></tr></thead><tbody></tbody></table>
        <p><a id="csv" href="#">CSV</a></p>
        <script>
        const q = new URLSearchParams(location.search); const api = '/v1/board?' + q.toString();
        function show(t){ fetch(api,{headers:{Authorization:'Bearer '+t}}).then(r=>{ if(r.status===401){localStorage.removeItem('baton-token');ask();throw 0}
          return r.json()}).then(b=>{ document.getElementById('asof').textContent='Số liệu lúc '+b.as_of;
          const tb=document.querySelector('#board tbody'); tb.innerHTML='';
          for(const r of b.rows){ const tr=document.createElement('tr');
            for(const [k,v] of [['agency',r.agency],['name',r.name],['open',r.open],['u',r.unacknowledged],['overdue',r.overdue],
              ['soon',r.due_soon],['closed',r.closed],['ok',r.closed_on_time],['late',r.closed_late],
              ['rate',r.on_time_rate===null?'':Math.round(r.on_time_rate*100)+'%']]){ const td=document.createElement('td');
              td.textContent=v; if(k==='overdue'&&v>0) td.className='late'; tr.appendChild(td)} tb.appendChild(tr)}
          document.getElementById('csv').onclick=e=>{e.preventDefault();fetch(api,{headers:{Authorization:'Bearer '+t,Accept:'text/csv'}})
            .then(r=>r.blob()).then(x=>{const a=document.createElement('a');a.href=URL.createObjectURL(x);a.download='board.csv';a.click()})}
        }).catch(()=>{}) }
        function ask(){ const f=document.getElementById('login'); f.hidden=false; f.onsubmit=e=>{e.preventDefault();
          const t=document.getElementById('token').value.trim(); localStorage.setItem('baton-token',t); f.hidden=true; show(t)} }
        const saved=localStorage.getItem('baton-token'); if(saved) show(saved); else ask();
        </script></body></html>
        """
}
