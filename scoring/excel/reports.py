"""The reports to sign and file: the ranking, every criterion × every unit (matrix), one
unit's sheet and the audit log. Called through `scoring.reports` (views, export command)
and by the audit export view.
"""

import datetime

from django.utils import timezone
from openpyxl.utils import get_column_letter

from .. import ranking
from ..ranking import Side
from .layout import (
    GROUP_FILL,
    HEADER_ROW,
    POINTS_FORMAT,
    Book,
    Formula,
    ReportSheet,
    Styled,
    criterion_lead_cells,
    excel_number,
    leader_signer,
    ranking_points,
    signing_place,
    xml_number,
)

# A cell of a criterion that does not apply to the unit (không áp dụng).
NOT_APPLICABLE = "KAD"


def ranking_workbook(standings, data, *, day: datetime.date) -> bytes:
    """Bảng tổng hợp kết quả chấm điểm và xếp hạng: STT, unit, group subtotals, bonus,
    deductions, total (a formula), the applicable maximum and the percentage of it (a
    formula), rank, band, notes."""
    compact = standings.compact
    groups = standings.content_groups
    widths = [6, 34] + [10] * len(groups) + [10, 10, 11, 11, 9, 8, 11, 22]
    book = Book()
    sheet = ReportSheet(book, "Xếp hạng", widths, freeze=f"C{HEADER_ROW + 1}")
    sheet.heading(
        cluster=compact.cluster,
        place=signing_place(data),
        day=day,
        title=f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM {compact.year}",
        subtitle=f"Phong trào thi đua “{compact.movement}” – {compact.cluster.name}"
        + ("" if compact.is_finalized else " (kết quả tạm tính)")
        + (" – xếp hạng theo tỷ lệ % điểm tối đa áp dụng" if standings.by_percentage else ""),
        left_span=4,
    )
    labels = ["STT", "Đơn vị"] + [f"{g.code}\n({ranking_points(g.max_points)})" for g in groups]
    labels += ["Điểm thưởng", "Điểm trừ", "Tổng điểm", "Điểm tối đa áp dụng", "Tỷ lệ (%)"]
    sheet.header_row([*labels, "Xếp hạng", "Xếp loại", "Ghi chú"])
    for index, row in enumerate(standings.rows, start=1):
        sheet.append(_ranking_line(sheet, index, row, len(groups), standings.max_total))
    sheet.signature_block(cluster=compact.cluster, signer=leader_signer(data), right_span=5)
    return book.save()


def _ranking_notes(row, scale) -> str:
    notes = []
    if not row.complete:
        # No place, band or tie for a unit not verified on every criterion (ranking.py).
        notes.append(
            f"Chưa thẩm định xong ({row.verified}/{row.criteria} tiêu chí): "
            "chưa xếp hạng, điểm tạm tính"
        )
    if row.totals.maximum is not None and row.totals.maximum != scale:
        notes.append("Có tiêu chí không áp dụng (KAD)")
    if row.ranked.shared:
        notes.append("Bằng điểm, quyết định khi bỏ phiếu")
    if row.ranked.disqualified:
        notes.append("Không đủ điều kiện xét cờ")
    return "; ".join(notes)


def _ranking_line(sheet, index, row, group_count, scale) -> list:
    """One unit's line: its points as numbers, its total and percentage as formulas that
    carry their results."""
    r = sheet.row + 1
    totals = row.totals
    first, last = 3, 2 + group_count
    bonus, deduction, total, maximum = (get_column_letter(last + n) for n in (1, 2, 3, 4))
    number = {"align": "right", "border": True, "number": POINTS_FORMAT}
    return (
        [
            sheet.cell(index, align="center", border=True),
            sheet.cell(row.full_name, border=True, wrap=True),
        ]
        + [sheet.cell(excel_number(h.points), **number) for h in row.heat]
        + [
            sheet.cell(excel_number(totals.bonus), **number),
            sheet.cell(excel_number(totals.deductions), **number),
            Formula(
                f"=SUM({get_column_letter(first)}{r}:{get_column_letter(last)}{r})"
                f"+{bonus}{r}-{deduction}{r}",
                totals.total,
                bold=True,
                **number,
            ),
            sheet.cell(excel_number(totals.maximum), **number),
            Formula(
                f"=IF({maximum}{r}>0,ROUND({total}{r}*100/{maximum}{r},2),0)",
                totals.percent,
                **number,
            ),
            sheet.cell(row.ranked.rank if row.complete else None, align="center", border=True),
            sheet.cell(row.ranked.band if row.complete else None, align="center", border=True),
            sheet.cell(_ranking_notes(row, scale), border=True, wrap=True, size=10),
        ]
    )


def _stored_points(data, columns):
    """`points_of` for report data that holds its scores and sums."""
    fields = {side: Side(side).fields[1] for _unit_id, side in columns.values()}

    def points_of(criterion):
        if not criterion.is_leaf:
            return {
                (unit_id, side): _sums_of(data, side)[unit_id].get(criterion.id)
                for unit_id, side in columns.values()
            }
        return {
            (unit_id, side): getattr(data.scores.get((unit_id, criterion.id)), fields[side], None)
            for unit_id, side in columns.values()
        }

    return points_of


def _sums_of(data, side):
    return data.sums if side == Side.VERIFIED else data.self_sums


def _criteria_table(sheet, data, columns, *, lead, tail=None, points_of=None):
    """Writes the criteria rows, then the totals rows, and returns nothing.

    `columns` maps a column number to (unit id, Side): leaves show that
    side's points, groups a SUM of their children, and the totals rows the content total,
    the capped bonus, the deductions and the total, each a formula with its stored result.
    `lead(criterion, group)` gives the cells before the point columns, `tail(criterion,
    group)` those after them. `points_of(criterion)` gives a row's points (a leaf's own, a
    group's sum) as {(unit id, Side): points}; it is called once per criterion, in row order
    (the matrix streams them); by default they come from `data.scores` and `data.sums`.
    """
    points_of = points_of or _stored_points(data, columns)
    row_of = _criteria_rows(sheet, data, columns, lead=lead, tail=tail, points_of=points_of)
    lead_span = len(lead(data.criteria[0], False)) if data.criteria else 3
    _totals_rows(sheet, data, columns, row_of=row_of, lead_span=lead_span)


def _criteria_rows(sheet, data, columns, *, lead, tail, points_of) -> dict[int, int]:
    """One row per criterion: a leaf's points, a group's SUM of its children. Returns the
    row of each criterion (by id)."""
    kids: dict[int, list[int]] = {}
    for criterion in data.criteria:
        if criterion.parent_id:
            kids.setdefault(criterion.parent_id, []).append(criterion.id)
    start = sheet.row + 1
    row_of = {c.id: start + i for i, c in enumerate(data.criteria)}
    # Most cells are a leaf's points or a group's sum: two formats, looked up once.
    points = sheet.cell(None, align="right", number=POINTS_FORMAT, border=True).format
    sums = sheet.cell(
        None, bold=True, align="right", number=POINTS_FORMAT, border=True, fill=GROUP_FILL
    ).format
    letters = {col: get_column_letter(col) for col in columns}
    not_applicable = data.not_applicable
    for criterion in data.criteria:
        group = not criterion.is_leaf
        values = lead(criterion, group)
        row_points = points_of(criterion)
        if group:
            rows = [row_of[k] for k in kids[criterion.id]]
            values += [
                Formula(
                    f"=SUM({','.join(f'{letters[col]}{r}' for r in rows)})",
                    row_points.get(key) or 0,
                    cell_format=sums,
                )
                for col, key in columns.items()
            ]
        else:
            values += [
                sheet.cell(NOT_APPLICABLE, align="center", border=True)
                if (key[0], criterion.id) in not_applicable
                else Styled(excel_number(row_points.get(key)), points, False, 12)
                for key in columns.values()
            ]
        if tail:
            values += tail(criterion, group)
        sheet.append(values)
    return row_of


def _totals_rows(sheet, data, columns, *, row_of, lead_span) -> None:
    """The content total, the capped bonus, the capped deductions and the total: formulas
    over the groups' rows, each with its stored result."""
    top = [c for c in data.criteria if c.parent_id is None]
    by_section = {
        section: [row_of[c.id] for c in top if c.section == section]
        for section in ranking.Section.values
    }
    compact = data.compact
    first = sheet.row + 1

    def line(label, formula, attribute, bold=False):
        _totals_line(sheet, data, columns, label, formula, attribute, lead_span, bold=bold)

    def section_sum(col, section, cap=None):
        refs = ",".join(f"{get_column_letter(col)}{r}" for r in by_section[section]) or "0"
        text = f"SUM({refs})"
        return "=" + (text if cap is None else f"MIN({text},{xml_number(cap)})")

    line(
        f"Tổng điểm nội dung (tối đa {ranking_points(compact.content_max)})",
        lambda col: section_sum(col, ranking.Section.CONTENT),
        "content",
    )
    line(
        f"Điểm thưởng (tối đa {ranking_points(compact.bonus_cap)})",
        lambda col: section_sum(col, ranking.Section.BONUS, compact.bonus_cap),
        "bonus",
    )
    deduction_label = "Điểm trừ" + (
        f" (tối đa {ranking_points(compact.deduction_cap)})" if compact.deduction_cap else ""
    )
    line(
        deduction_label,
        lambda col: section_sum(col, ranking.Section.DEDUCTION, compact.deduction_cap),
        "deductions",
    )
    line(
        "TỔNG ĐIỂM",
        lambda col: (
            f"={get_column_letter(col)}{first}"
            f"+{get_column_letter(col)}{first + 1}"
            f"-{get_column_letter(col)}{first + 2}"
        ),
        "total",
        bold=True,
    )
    line("Điểm tối đa áp dụng", lambda col: None, "maximum")

    def percent(col):
        total, maximum = (f"{get_column_letter(col)}{first + n}" for n in (3, 4))
        return f"=IF({maximum}>0,ROUND({total}*100/{maximum},2),0)"

    line("Tỷ lệ (%)", percent, "percent")


def _totals_line(sheet, data, columns, label, formula, attribute, lead_span, *, bold):
    """One totals row: its label across the lead columns, then a formula per point column."""
    values = [sheet.cell(label, bold=True, border=True, fill=GROUP_FILL)]
    values += [sheet.cell(None, border=True, fill=GROUP_FILL)] * (lead_span - 1)
    # The matrix computes its totals when asked (MatrixData.totals): once per line.
    by_side = {
        side: data.totals if side == Side.VERIFIED else data.self_totals
        for side in {side for _unit_id, side in columns.values()}
    }
    for col, (unit_id, side) in columns.items():
        value = getattr(by_side[side][unit_id], attribute)
        if formula(col) is None:  # a figure, not a sum
            values.append(
                sheet.cell(
                    excel_number(value),
                    align="right",
                    border=True,
                    number=POINTS_FORMAT,
                    fill=GROUP_FILL,
                )
            )
            continue
        values.append(
            Formula(
                formula(col),
                value,
                bold=bold,
                align="right",
                border=True,
                number=POINTS_FORMAT,
                fill=GROUP_FILL,
            )
        )
    sheet.append(values)
    sheet.merge(1, lead_span)


def matrix_workbook(data, *, day: datetime.date, file=None) -> bytes | None:
    """Every criterion × every unit: verified points, group subtotals and totals. `data` is
    `selectors.matrix_data`'s (cells streamed) or `report_data`'s; rows are written out as
    they are made (constant memory), into `file` if given, else returned as bytes."""
    compact = data.compact
    book = Book(streaming=True, file=file)
    sheet = ReportSheet(
        book, "Bảng điểm", [8, 46, 11] + [11] * len(data.members), freeze=f"D{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=signing_place(data),
        day=day,
        title=f"BẢNG ĐIỂM CHI TIẾT THEO TIÊU CHÍ NĂM {compact.year}",
        subtitle=f"{compact.cluster.name} – điểm thẩm định"
        + ("" if compact.is_finalized else " (tạm tính)"),
        left_span=2,
    )
    sheet.header_row(
        ["TT", "Nội dung tiêu chí", "Điểm chuẩn"] + [m.short_name for m in data.members]
    )
    columns = {4 + i: (m.membership.unit_id, Side.VERIFIED) for i, m in enumerate(data.members)}

    def points_of(criterion):
        return {(u, Side.VERIFIED): p for u, p in data.verified_points_of(criterion).items()}

    _criteria_table(sheet, data, columns, lead=criterion_lead_cells(sheet), points_of=points_of)
    sheet.signature_block(
        cluster=compact.cluster,
        signer=leader_signer(data),
        right_span=max(1, min(5, len(data.members))),
    )
    return book.save()


def unit_workbook(data, member, *, day: datetime.date) -> bytes:
    """A unit's scoring sheet: self-assessed against verified points, notes, evidence count."""
    compact = data.compact
    unit_id = member.membership.unit_id
    book = Book()
    sheet = ReportSheet(
        book, member.short_name, [8, 44, 11, 10, 11, 11, 30, 30, 10], freeze=f"C{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=signing_place(data),
        day=day,
        title=f"PHIẾU CHẤM ĐIỂM THI ĐUA NĂM {compact.year}",
        subtitle=f"Đơn vị: {member.full_name} – {compact.cluster.name}",
        left_span=3,
    )
    sheet.header_row(
        [
            "TT",
            "Nội dung tiêu chí",
            "Điểm chuẩn",
            "Chỉ tiêu",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Ghi chú của đơn vị",
            "Lý do thẩm định",
            "Số minh chứng",
        ]
    )

    def tail(criterion, group):
        style = {"border": True, "fill": GROUP_FILL if group else None}
        if group:
            return [sheet.cell(None, **style)] * 3
        score = data.scores.get((unit_id, criterion.id))
        return [
            sheet.cell(getattr(score, "self_note", "") or None, wrap=True, size=10, **style),
            sheet.cell(getattr(score, "verified_note", "") or None, wrap=True, size=10, **style),
            sheet.cell(
                data.evidence_counts.get((unit_id, criterion.id)) or None, align="center", **style
            ),
        ]

    _criteria_table(
        sheet,
        data,
        {5: (unit_id, Side.SELF), 6: (unit_id, Side.VERIFIED)},
        lead=criterion_lead_cells(sheet, targets_for=unit_id, data=data),
        tail=tail,
    )
    sheet.signature_block(cluster=compact.cluster, signer=leader_signer(data), right_span=4)
    return book.save()


def audit_workbook(compact, entries, *, day: datetime.date, place: str = "") -> bytes:
    """The audit log of the year: one row per changed field, newest first."""
    book = Book(streaming=True)
    sheet = ReportSheet(
        book, "Nhật ký", [17, 22, 18, 11, 34, 22, 22, 22, 30], freeze=f"A{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=place,
        day=day,
        title=f"NHẬT KÝ THAY ĐỔI DỮ LIỆU THI ĐUA NĂM {compact.year}",
        subtitle=f"{compact.cluster.name} – ai, lúc nào, thay đổi gì, lý do",
        left_span=4,
    )
    sheet.header_row(
        [
            "Thời gian",
            "Người thực hiện",
            "Loại",
            "Thao tác",
            "Đối tượng",
            "Nội dung",
            "Giá trị cũ",
            "Giá trị mới",
            "Lý do",
        ]
    )
    for entry in entries:
        local = entry.at.astimezone(_local_zone()).replace(tzinfo=None)
        for change in entry.changes or [None]:
            sheet.append(
                [
                    sheet.cell(local, border=True, number="dd/mm/yyyy hh:mm:ss", size=10),
                    sheet.cell(entry.user, border=True, size=10),
                    sheet.cell(entry.kind, border=True, size=10),
                    sheet.cell(str(entry.action_label), border=True, size=10),
                    sheet.cell(entry.subject, border=True, wrap=True, size=10),
                    sheet.cell(change.field if change else None, border=True, size=10),
                    sheet.cell(change.old if change else None, border=True, wrap=True, size=10),
                    sheet.cell(change.new if change else None, border=True, wrap=True, size=10),
                    sheet.cell(entry.reason or None, border=True, wrap=True, size=10),
                ]
            )
    return book.save()


def _local_zone():
    return timezone.get_current_timezone()
