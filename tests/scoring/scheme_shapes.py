"""Scheme workbooks shaped the way secretariats type them, built with openpyxl for the import
tests (and once, re-saved by LibreOffice, for the committed fixture)."""

import io

from openpyxl import Workbook


def workbook_bytes(rows, *, merge=(), title="Thang điểm") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merge:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts_abc():
    """Cụm 12's 2018 scheme typed with parts A/B/C: A wraps the Roman groups; group V is
    about awards ("khen thưởng") and stays content; deductions typed negative; a subtotal
    and a grand total (content + bonus cap)."""
    rows = [
        ("BỘ CÔNG AN",),
        ("CỤM THI ĐUA SỐ 12",),
        (),
        ("STT", "NỘI DUNG TIÊU CHÍ", "ĐIỂM CHUẨN", "GHI CHÚ"),
        ("A", "NỘI DUNG THI ĐUA", "950 điểm"),
        ("I", "Công tác lãnh đạo, chỉ đạo, tham mưu", 150),
        (1, "Quán triệt, triển khai chỉ thị của Đảng, Nhà nước, Bộ", 40),
        (2, "Tham mưu cấp ủy, chính quyền địa phương", 40),
        (3, "Thực hiện Luật PCCC và Chỉ thị 47-CT/TW", 40),
        (4, "Chiến lược PCCC dài hạn", 30),
        ("II", "Công tác phòng cháy", 300),
        (1, "Tuyên truyền PCCC", 80),
        ("a", "Số buổi tuyên truyền", 40),
        ("b", "Tin, bài trên báo, đài", 40),
        (2, "Phong trào toàn dân PCCC", 60),
        (3, "Kiểm tra an toàn PCCC", 80),
        (4, "Nghiệp vụ cơ bản, hồ sơ, thống kê", 40),
        (5, "Cải cách hành chính", 40),
        ("III", "Công tác chữa cháy và CNCH", 250),
        (1, "Thường trực sẵn sàng chiến đấu", 100),
        (2, "Xây dựng, thực tập phương án", 60),
        (3, "Bảo quản phương tiện", 40),
        (4, "Huấn luyện lực lượng", 50),
        ("IV", "Xây dựng lực lượng", 150),
        (1, "Công tác chính trị tư tưởng", 50),
        (2, "Công tác cán bộ", 50),
        (3, "Hậu cần", 50),
        ("V", "Công tác thi đua, khen thưởng", 100),
        (1, "Phát động phong trào thi đua", 50),
        (2, "Sơ kết, tổng kết, khen thưởng kịp thời", 50),
        (None, "Cộng phần A", 950),
        (),
        ("B", "ĐIỂM THƯỞNG", "tối đa 50 điểm"),
        (1, "Được tặng Cờ thi đua của Bộ", "10 điểm/lần"),
        (2, "Mô hình mới được công nhận", "5 điểm/mô hình"),
        ("C", "ĐIỂM TRỪ"),
        (1, "Báo cáo chậm", -2),
        (2, "Để xảy ra cháy lớn", "-10 điểm/vụ, tối đa 30 điểm"),
        (3, "Cán bộ vi phạm kỷ luật", "trừ 5 điểm/người"),
        (None, "TỔNG CỘNG (A + B)", 1000),
    ]
    return workbook_bytes(rows, merge=["A1:D1", "A2:D2"])


PARTS_ABC_SUMMARY = {
    "groups": [
        {"code": "I", "title": "Công tác lãnh đạo, chỉ đạo, tham mưu", "maximum": 150},
        {"code": "II", "title": "Công tác phòng cháy", "maximum": 300},
        {"code": "III", "title": "Công tác chữa cháy và CNCH", "maximum": 250},
        {"code": "IV", "title": "Xây dựng lực lượng", "maximum": 150},
        {"code": "V", "title": "Công tác thi đua, khen thưởng", "maximum": 100},
    ],
    "content_total": 950,
    "leaf_count": 19,
    "leaf_total": 950,
    "max_depth": 3,
    "bonus_cap": 50,
    "bonus_items": 2,
    "deduction_items": 3,
    "problems": [],
}


def commune_five_levels():
    """A commune-police cluster's scheme: 180 criteria on five levels ("I." → "1." → "1.a)" →
    indicators numbered through the whole table "27" → "27a"), blank rows, a rule column, maxima
    as text on the groups, bonus and deduction groups whose items are worded in the rule column."""
    rows = [("TT", "Nội dung", "Điểm tối đa", "Phương pháp chấm"), ("(1)", "(2)", "(3)", "(4)")]
    indicator = 0
    for group in ("I.", "II.", "III."):
        rows.append((group, f"Nhóm tiêu chí {group}", "60 điểm"))
        for criterion in range(1, 4):
            rows.append((f"{criterion}.", f"Tiêu chí {criterion}", 20))
            for letter in "ab":
                rows.append((f"{criterion}.{letter})", f"Nội dung {letter}", 10))
                for _n in range(5):
                    indicator += 1
                    method = "So sánh trong cụm" if indicator % 4 == 0 else None
                    rows.append((indicator, f"Chỉ số {indicator}", 2, method))
                    if indicator % 3 == 0:
                        rows.append((f"{indicator}a", "Phần thứ nhất", 1))
                        rows.append((f"{indicator}b", "Phần thứ hai", 1, "Đạt/Không đạt"))
            rows.append(())
    rows += [
        ("IV.", "ĐIỂM CỘNG (không quá 20 điểm)"),
        ("1.", "Sáng kiến được công nhận", None, "Cộng 5 điểm/sáng kiến"),
        ("2.", "Tin, bài", None, "Chấm thẳng: 2 điểm/tin, bài; tối đa 10"),
        ("V.", "ĐIỂM TRỪ"),
        ("1.", "Báo cáo chậm", -1),
        ("2.", "Vi phạm quy trình", None, "Trừ 2 điểm/lần, tối đa 10"),
        (None, "Tổng cộng", 180),
    ]
    return workbook_bytes(rows)


COMMUNE_SUMMARY = {
    "groups": [
        {"code": "I", "title": "Nhóm tiêu chí I.", "maximum": 60},
        {"code": "II", "title": "Nhóm tiêu chí II.", "maximum": 60},
        {"code": "III", "title": "Nhóm tiêu chí III.", "maximum": 60},
    ],
    "content_total": 180,
    "leaf_count": 120,
    "leaf_total": 180,
    "max_depth": 5,
    "bonus_cap": 20,
    "bonus_items": 2,
    "deduction_items": 2,
    "problems": [],
}


def text_maxima():
    """Maxima as text ("40 điểm", "tối đa 60 điểm", "30đ", "30,0") or only in a group's
    title, a two-row header with merged cells, merged titles, blank rows, bullets, a
    "Phương pháp chấm" column and a total typed across the STT and content cells."""
    rows = [
        ("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025",),
        (),
        ("Số TT", "Nội dung tiêu chí", None, "Thang điểm", None, "Phương pháp chấm"),
        (None, None, None, "Điểm chuẩn", "Ghi chú", None),
        ("I", "CÔNG TÁC THAM MƯU (100 điểm)"),
        ("1", "Tham mưu ban hành văn bản", None, "40 điểm"),
        ("2", "Tổ chức thực hiện", None, "tối đa 60 điểm"),
        ("a)", "Kế hoạch năm", None, "30đ"),
        ("b)", "Sơ kết, tổng kết", None, "30,0", "Không áp dụng cho đơn vị mới"),
        (),
        ("II", "CÔNG TÁC NGHIỆP VỤ", None, "200 điểm"),
        ("1", "Kiểm tra an toàn", None, 120, None, "Theo tỷ lệ hoàn thành chỉ tiêu"),
        ("-", "Cơ sở trọng điểm", None, 60),
        ("-", "Cơ sở khác", None, 60, None, "Đạt chỉ tiêu: tối đa"),
        ("2", "Thực tập phương án", None, 80, None, "Đạt/Không đạt"),
        ("III", "ĐIỂM THƯỞNG", None, "(tối đa 20 điểm)"),
        ("1", "Tin, bài", None, None, None, "Chấm thẳng: 2 điểm/tin, bài; tối đa 10"),
        ("IV", "ĐIỂM TRỪ"),
        ("1", "Báo cáo sai", None, -3),
        ("TỔNG CỘNG", None, None, 300),
    ]
    merge = ["A1:F1", "A3:A4", "B3:C4", "D3:E3", "F3:F4"]
    merge += [f"B{r}:C{r}" for r in range(5, 20) if r != 10]
    merge += ["A20:C20"]
    return workbook_bytes(rows, merge=merge)


TEXT_MAXIMA_SUMMARY = {
    "groups": [
        {"code": "I", "title": "CÔNG TÁC THAM MƯU (100 điểm)", "maximum": 100},
        {"code": "II", "title": "CÔNG TÁC NGHIỆP VỤ", "maximum": 200},
    ],
    "content_total": 300,
    "leaf_count": 6,
    "leaf_total": 300,
    "max_depth": 3,
    "bonus_cap": 20,
    "bonus_items": 1,
    "deduction_items": 1,
    "problems": [],
}


def seven_levels():
    """Decimal codes, letters, bullets and lower-case Roman numerals seven levels deep under
    "Phần" parts; "6a", "6b" without a "6" above them."""
    rows = [
        ("STT", "Tiêu chí", "Điểm"),
        ("Phần I", "NHIỆM VỤ TRỌNG TÂM", 100),
        ("1", "Công tác phòng ngừa", 100),
        ("1.1", "Tuyên truyền", 100),
        ("1.1.1", "Tuyên truyền trực tiếp", 60),
        ("a)", "Tại khu dân cư", 60),
        ("-", "Nông thôn", 30),
        ("+", "Thôn, bản", 15),
        ("+", "Tổ dân phố", 15),
        ("-", "Đô thị", 30),
        ("1.1.2", "Tuyên truyền gián tiếp", 40),
        ("a", "Báo in", 20),
        ("b", "Báo điện tử", 20),
        ("i", "Bài viết", 5),
        ("ii", "Tin ngắn", 5),
        ("iii", "Ảnh", 5),
        ("iv", "Video", 5),
        ("Phần II", "XÂY DỰNG LỰC LƯỢNG", 50),
        ("6a", "Học tập chính trị", 25),
        ("6b", "Rèn luyện thể lực", 25),
    ]
    return workbook_bytes(rows)


SEVEN_LEVELS_SUMMARY = {
    "groups": [
        {"code": "Phần I", "title": "NHIỆM VỤ TRỌNG TÂM", "maximum": 100},
        {"code": "Phần II", "title": "XÂY DỰNG LỰC LƯỢNG", "maximum": 50},
    ],
    "content_total": 150,
    "leaf_count": 10,
    "leaf_total": 150,
    "max_depth": 7,
    "bonus_cap": None,
    "bonus_items": 0,
    "deduction_items": 0,
    "problems": [],
}


def refused():
    """Every kind of problem at once, each on its row."""
    rows = [
        ("STT", "Nội dung", "Điểm", "Cách chấm"),
        ("I", "Nhóm một", 100),
        ("1", "Tiêu chí một", 60),
        ("1.1", "Con thứ nhất", 30),
        ("1.1.1", "Cháu", 20),
        ("1.2", "Con thứ hai", 30, "Chấm theo cảm nhận"),
        ("2", "Tiêu chí hai", "bốn mươi"),
        ("x1", "Mã lạ", 5),
        ("II", "ĐIỂM THƯỞNG"),
        ("1", "Sáng kiến"),
        (None, "TỔNG CỘNG", 120),
    ]
    return workbook_bytes(rows)


REFUSED_PROBLEMS = [
    {"row": 7, "message": "Dòng 7: điểm tối đa không phải là số"},
    {
        "row": 8,
        "message": "Dòng 8: “x1” không phải nhóm (I, II…), tiêu chí (1, 2…) hay tiêu chí con "
        "(a, b…).",
    },
    {
        "row": 6,
        "message": "Dòng 6: không nhận ra cách chấm “Chấm theo cảm nhận”; hãy viết một cách "
        "chấm đã biết, hoặc nhập không có nó rồi chọn cách chấm sau.",
    },
    {"row": 10, "message": "Dòng 10: thiếu số điểm mỗi lần."},
    {"row": 2, "message": "Dòng 2: I có 100 điểm nhưng các tiêu chí con cộng lại 60."},
    {"row": 4, "message": "Dòng 4: 1.1 có 30 điểm nhưng các tiêu chí con cộng lại 20."},
    {"row": 11, "message": "Dòng 11: dòng tổng cộng ghi 120 nhưng các nhóm cộng lại 100."},
]
