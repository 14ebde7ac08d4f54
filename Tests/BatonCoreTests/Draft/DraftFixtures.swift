@testable import BatonCore

/// A small district of our own, "huyện Bình Minh", for the drafter's tests.
enum DraftFixtures {
    static let csv = """
        code,name,kind,parent,aliases
        UBND-BM,Ủy ban nhân dân huyện Bình Minh,people_committee,,
        BCD-BM,Ban Chỉ đạo 389 huyện Bình Minh,steering_committee,UBND-BM,
        CA-BM,Công an huyện Bình Minh,police,UBND-BM,
        VKS-BM,Viện Kiểm sát nhân dân huyện Bình Minh,procuracy,UBND-BM,
        TA-BM,Tòa án nhân dân huyện Bình Minh,court,UBND-BM,
        GD-BM,Phòng Giáo dục và Đào tạo huyện Bình Minh,education,UBND-BM,
        LD-BM,Phòng Lao động - Thương binh và Xã hội huyện Bình Minh,labour,UBND-BM,
        MT-BM,Ủy ban Mặt trận Tổ quốc Việt Nam huyện Bình Minh,front,UBND-BM,
        DTN-BM,Đoàn Thanh niên Cộng sản Hồ Chí Minh huyện Bình Minh,youth_union,MT-BM,Huyện Đoàn Bình Minh
        PN-BM,Hội Liên hiệp Phụ nữ huyện Bình Minh,women_union,MT-BM,
        THCS-AN-BM,Trường Trung học cơ sở An Hòa,school,GD-BM,
        THCS-PHU-BM,Trường Trung học cơ sở Phú Lộc,school,GD-BM,
        BCD-BM-DONG,Ban Chỉ đạo 389 xã Đông Sơn,steering_committee,BCD-BM,
        BCD-BM-TAY,Ban Chỉ đạo 389 thị trấn Tây Sơn,steering_committee,BCD-BM,
        """

    static var register: AgencyRegister { try! AgencyRegister(csv: csv) }

    /// A short plan in the shape of the genre, written for these tests.
    static let plan = """
        UBND HUYỆN BÌNH MINH
        BAN CHỈ ĐẠO 389

        Số: 12/KH-BCĐ389

        Bình Minh, ngày 05 tháng 3 năm 2025

        KẾ HOẠCH

        Phòng, chống buôn lậu trên địa bàn huyện năm 2025

        Căn cứ Kế hoạch số 7/KH-UBND của Ủy ban nhân dân huyện, Ban Chỉ đạo 389 huyện xây dựng Kế hoạch như sau:

        I. MỤC TIÊU, CHỈ TIÊU

        - 100% vụ việc được tiếp nhận đều được phân loại, xử lý.

        - Kéo giảm 15% số vụ buôn lậu so với năm 2024.

        II. PHÂN CÔNG NHIỆM VỤ

        1. Công an huyện

        - Chủ trì, phối hợp với Viện Kiểm sát nhân dân huyện điều tra các vụ buôn lậu; báo cáo kết quả trước ngày 30/6/2025.

        - Thường xuyên tuần tra các tuyến đường biên.

        2. Phòng GD&ĐT huyện

        Tuyên truyền cho học sinh về tác hại của hàng giả. Tổ chức hội thi tìm hiểu pháp luật trong tháng 4/2025.

        3. Ban Chỉ đạo 389 các xã, thị trấn

        - Xây dựng kế hoạch của địa phương chậm nhất ngày 20/3.

        4. Phòng Nội vụ huyện

        - Rà soát biên chế cho lực lượng kiểm tra.

        III. TỔ CHỨC THỰC HIỆN

        1. Giao Phòng Lao động - Thương binh và Xã hội huyện chủ trì, phối hợp với Huyện Đoàn hỗ trợ người lao động trong thời hạn 05 ngày làm việc.

        2. Giao Công an huyện - Cơ quan Thường trực Ban Chỉ đạo có trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch này.

        3. Các cơ quan, đơn vị báo cáo kết quả định kỳ 6 tháng, năm về Ban Chỉ đạo 389 huyện.

        Nơi nhận:
        - Công an huyện;
        - Lưu: VT.
        """
}
