"""The Cụm thi đua số 12 demo as data: its eight units and their representatives, the 2017
compact's slogan and commitments, and the scheme (950 content points + 50 bonus, with
deductions) as a list of nodes. Read by `scoring.demo`, which builds it in the database.
"""

import datetime
from dataclasses import dataclass

from . import ranking

K = ranking.Kind


R = ranking.Rule


# (code, province, user suffix, strength): strength shapes the plausible scores.
UNITS = [
    ("thanhhoa", "Thanh Hóa", 0.97),
    ("khanhhoa", "Khánh Hòa", 0.95),
    ("nghean", "Nghệ An", 0.93),
    ("quangninh", "Quảng Ninh", 0.94),
    ("binhdinh", "Bình Định", 0.90),
    ("quangngai", "Quảng Ngãi", 0.89),
    ("thuathienhue", "Thừa Thiên Huế", 0.91),
    ("bariavungtau", "Bà Rịa - Vũng Tàu", 0.92),
]


# QĐ 4083/QĐ-BCA: from 9 August 2018 the fire departments became the PC07 divisions of the
# provincial police. The 2017 names are kept as former names.
RENAMED_ON = datetime.date(2018, 8, 9)


SLOGAN_2017 = (
    "Đoàn kết, đổi mới, chủ động, kỷ cương, trách nhiệm, hiệu quả, hoàn thành xuất sắc nhiệm vụ"
)


COMMITMENTS_2017 = """\
1. Quán triệt thực hiện hiệu quả các chủ trương, nghị quyết, chỉ thị của Đảng, Nhà nước, Bộ Công an và các tỉnh về nhiệm vụ công tác PCCC và CNCH; chủ động tham mưu cấp ủy, chính quyền các cấp có giải pháp toàn diện, lâu dài.
2. Tiếp tục thực hiện Đề án “Đổi mới, nâng cao hiệu quả công tác tuyên truyền, giáo dục, phổ biến pháp luật và kiến thức PCCC và CNCH”; xây dựng phong trào toàn dân PCCC, nhân rộng các mô hình, điển hình tiên tiến.
3. Thực hiện tốt công tác nghiệp vụ cơ bản, hồ sơ, thống kê nghiệp vụ; tăng cường kiểm tra, phúc tra an toàn PCCC đối với các cơ sở trọng điểm; cải cách thủ tục hành chính, đẩy mạnh xã hội hóa công tác PCCC.
4. Tổ chức tốt công tác thường trực sẵn sàng chiến đấu, bảo quản, bảo dưỡng phương tiện, bảo đảm chữa cháy kịp thời, hiệu quả.
5. Tăng cường giáo dục chính trị tư tưởng cho CBCS; thực hiện có hiệu quả Nghị quyết TW 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng."""


@dataclass
class Node:
    code: str
    title: str
    max_points: str | None = None
    kind: str = K.JUDGED
    rule: str = ""
    per: str | None = None
    disqualifying: bool = False
    guidance: str = ""
    target: tuple[int, int] | None = None  # plausible target range for quantitative criteria


SCHEME = [
    Node("I", "Lãnh đạo, chỉ đạo, tham mưu", "150"),
    Node(
        "I.1",
        "Quán triệt, triển khai các chủ trương, nghị quyết, chỉ thị của Đảng, Nhà nước, "
        "Bộ Công an về công tác PCCC và CNCH",
        "40",
    ),
    Node(
        "I.2",
        "Tham mưu cấp ủy, chính quyền địa phương ban hành văn bản lãnh đạo, chỉ đạo "
        "công tác PCCC và CNCH",
        "40",
    ),
    Node("I.3", "Triển khai thực hiện Luật PCCC và Chỉ thị 47-CT/TW của Ban Bí thư", "40"),
    Node(
        "I.4",
        "Tham mưu đưa chiến lược PCCC lâu dài vào kế hoạch phát triển kinh tế - xã hội "
        "của địa phương",
        "30",
    ),
    Node("II", "Công tác phòng cháy", "300"),
    Node(
        "II.1",
        "Tuyên truyền, phổ biến kiến thức PCCC theo Đề án đổi mới công tác tuyên truyền "
        "(số buổi tuyên truyền so với chỉ tiêu đăng ký)",
        "80",
        K.QUANTITATIVE,
        R.PROPORTIONAL,
        guidance="Điểm = 80 × số buổi thực hiện / chỉ tiêu đăng ký, tối đa 80 điểm.",
        target=(900, 1200),
    ),
    Node(
        "II.2",
        "Xây dựng phong trào toàn dân PCCC: cụm dân cư an toàn, tổ liên gia an toàn "
        "PCCC, điểm chữa cháy công cộng (số mô hình so với chỉ tiêu)",
        "60",
        K.QUANTITATIVE,
        R.PROPORTIONAL,
        target=(150, 250),
    ),
    Node("II.3", "Kiểm tra, phúc tra an toàn PCCC các cơ sở trọng điểm; xử lý vi phạm", "80"),
    Node(
        "II.3.a",
        "Số lượt kiểm tra, phúc tra so với chỉ tiêu",
        "50",
        K.QUANTITATIVE,
        R.PROPORTIONAL,
        target=(4000, 6000),
    ),
    Node("II.3.b", "Xử lý nghiêm các vi phạm quy định về PCCC", "30"),
    Node("II.4", "Công tác nghiệp vụ cơ bản, hồ sơ, thống kê nghiệp vụ", "40"),
    Node(
        "II.5",
        "Cải cách thủ tục hành chính, dịch vụ công trực tuyến, xã hội hóa công tác PCCC",
        "40",
    ),
    Node("III", "Chữa cháy và cứu nạn, cứu hộ", "250"),
    Node("III.1", "Thường trực sẵn sàng chiến đấu, xử lý kịp thời các vụ cháy, sự cố", "100"),
    Node(
        "III.1.a",
        "Duy trì nghiêm chế độ thường trực 24/24",
        "40",
        guidance="Kiểm tra sổ trực, nhật ký trực ban; trừ điểm nếu có ca trực không đủ quân số.",
    ),
    Node("III.1.b", "Thời gian có mặt tại hiện trường, hiệu quả chữa cháy, CNCH", "60"),
    Node(
        "III.2",
        "Xây dựng và thực tập phương án chữa cháy, CNCH (số phương án thực tập so với chỉ tiêu)",
        "60",
        K.QUANTITATIVE,
        R.FULL_AT_TARGET,
        guidance="Đủ điểm khi đạt chỉ tiêu đăng ký; không đạt chỉ tiêu: 0 điểm.",
        target=(400, 600),
    ),
    Node("III.3", "Bảo quản, bảo dưỡng phương tiện, trang thiết bị chữa cháy, CNCH", "40"),
    Node(
        "III.4", "Huấn luyện nghiệp vụ cho lực lượng và bồi dưỡng kiến thức PCCC cho nhân dân", "50"
    ),
    Node("IV", "Xây dựng Đảng, xây dựng lực lượng", "150"),
    Node("IV.1", "Giáo dục chính trị tư tưởng cho cán bộ, chiến sĩ", "40"),
    Node("IV.2", "Thực hiện Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng", "40"),
    Node("IV.3", "Xây dựng chi bộ “bốn tốt”, phát triển đảng viên mới", "30"),
    Node("IV.4", "Chấp hành kỷ luật, điều lệnh Công an nhân dân", "40"),
    Node("V", "Công tác thi đua, hoạt động của Cụm", "100"),
    Node("V.1", "Tham gia đầy đủ các hoạt động của Cụm, báo cáo đúng thời hạn", "40"),
    Node(
        "V.2", "Đăng ký thi đua, ký kết giao ước, xây dựng và nhân rộng điển hình tiên tiến", "30"
    ),
    Node(
        "V.3",
        "Tổ chức sơ kết, tổng kết phong trào thi đua",
        "30",
        K.PASS_FAIL,
        guidance="Đạt: tổ chức đủ sơ kết 6 tháng và tổng kết năm (30 điểm); không đạt: 0 điểm.",
    ),
    Node("VI", "Điểm thưởng (tối đa 50 điểm)", None, K.BONUS),
    Node(
        "VI.1",
        "Mô hình, sáng kiến được Bộ Công an công nhận (mỗi mô hình)",
        None,
        K.BONUS,
        per="10",
    ),
    Node(
        "VI.2",
        "Thành tích cứu người, cứu tài sản được khen thưởng đột xuất (mỗi lần)",
        None,
        K.BONUS,
        per="10",
    ),
    Node("VI.3", "Hoàn thành vượt mức chỉ tiêu đăng ký (mỗi chỉ tiêu)", None, K.BONUS, per="5"),
    Node("VII", "Điểm trừ", None, K.DEDUCTION),
    Node("VII.1", "Không đăng ký thi đua hoặc không ký kết giao ước", "8", K.DEDUCTION, per="8"),
    Node("VII.2", "Báo cáo chậm hoặc không báo cáo (mỗi lần)", None, K.DEDUCTION, per="2"),
    Node(
        "VII.3",
        "Để xảy ra cháy lớn, gây thiệt hại nghiêm trọng do lỗi chủ quan (mỗi vụ)",
        None,
        K.DEDUCTION,
        per="20",
    ),
    Node("VII.4", "Cán bộ, chiến sĩ bị kỷ luật (mỗi trường hợp)", None, K.DEDUCTION, per="5"),
    Node(
        "VII.5",
        "Cán bộ, chiến sĩ bị truy cứu trách nhiệm hình sự: không xét tặng Cờ thi đua",
        None,
        K.DEDUCTION,
        per="0",
        disqualifying=True,
    ),
]
