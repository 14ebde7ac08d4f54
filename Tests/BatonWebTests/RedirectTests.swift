@testable import BatonWeb
import Testing

/// Where a form may send the browser next, and how the notice rides along.
@Suite struct RedirectTests {
    @Test func onlyPathsOnThisSiteAreFollowed() {
        #expect(WebPages.localPath("/plans?x=1") == "/plans?x=1")
        for outside in [nil, "", "https://evil.example", "//evil.example", "/\\evil.example", "/\t/evil.example", "/ /x", "plans"] {
            #expect(WebPages.localPath(outside) == nil, "\(String(describing: outside))")
        }
    }

    @Test func theNoticeJoinsAnyQueryAndStaysBeforeTheFragment() {
        func target(_ r: PageResponse) -> String? {
            if case .redirect(let to, _) = r { return to }
            return nil
        }
        #expect(target(.redirect("/plans/1", msg: "saved")) == "/plans/1?msg=saved")
        #expect(target(.redirect("/admin/agencies?parent=SO", msg: "saved")) == "/admin/agencies?parent=SO&msg=saved")
        #expect(target(.redirect("/plans/1#task-2", msg: "task_added")) == "/plans/1?msg=task_added#task-2")
    }
}
