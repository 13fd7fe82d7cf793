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
    _lead,
    _num,
    _place,
    _signer,
    _xml_number,
    ranking_points,
)


def ranking_workbook(ranking, data, *, day: datetime.date) -> bytes:
    """Bảng tổng hợp kết quả chấm điểm và xếp hạng: STT, unit, group subtotals, bonus,
    deductions, total (a formula), rank, band, notes."""
    compact = ranking.compact
    groups = ranking.content_groups
    widths = [6, 34] + [10] * len(groups) + [10, 10, 11, 8, 11, 22]
    book = Book()
    sheet = ReportSheet(book, "Xếp hạng", widths, freeze=f"C{HEADER_ROW + 1}")
    sheet.heading(
        cluster=compact.cluster,
        place=_place(data),
        day=day,
        title=f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM {compact.year}",
        subtitle=f"Phong trào thi đua “{compact.movement}” – {compact.cluster.name}"
        + ("" if compact.is_finalized else " (kết quả tạm tính)"),
        left_span=4,
    )
    labels = ["STT", "Đơn vị"] + [f"{g.code}\n({ranking_points(g.max_points)})" for g in groups]
    labels += ["Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp hạng", "Xếp loại", "Ghi chú"]
    sheet.header_row(labels)
    first_group = 3
    last_group = first_group + len(groups) - 1
    bonus_col, deduction_col = last_group + 1, last_group + 2
    for index, row in enumerate(ranking.rows, start=1):
        r = sheet.row + 1
        totals = row.totals
        notes = []
        if not row.complete:
            # No place, band or tie for a unit not verified on every criterion (ranking.py).
            notes.append(
                f"Chưa thẩm định xong ({row.verified}/{row.criteria} tiêu chí): "
                "chưa xếp hạng, điểm tạm tính"
            )
        if row.ranked.shared:
            notes.append("Bằng điểm, quyết định khi bỏ phiếu")
        if row.ranked.disqualified:
            notes.append("Không đủ điều kiện xét cờ")
        group_range = f"{get_column_letter(first_group)}{r}:{get_column_letter(last_group)}{r}"
        sheet.append(
            [
                sheet.cell(index, align="center", border=True),
                sheet.cell(row.full_name, border=True, wrap=True),
            ]
            + [
                sheet.cell(_num(h.points), align="right", border=True, number=POINTS_FORMAT)
                for h in row.heat
            ]
            + [
                sheet.cell(_num(totals.bonus), align="right", border=True, number=POINTS_FORMAT),
                sheet.cell(
                    _num(totals.deductions), align="right", border=True, number=POINTS_FORMAT
                ),
                Formula(
                    f"=SUM({group_range})+{get_column_letter(bonus_col)}{r}"
                    f"-{get_column_letter(deduction_col)}{r}",
                    totals.total,
                    bold=True,
                    align="right",
                    border=True,
                    number=POINTS_FORMAT,
                ),
                sheet.cell(row.ranked.rank if row.complete else None, align="center", border=True),
                sheet.cell(row.ranked.band if row.complete else None, align="center", border=True),
                sheet.cell("; ".join(notes), border=True, wrap=True, size=10),
            ]
        )
    sheet.signature_block(cluster=compact.cluster, signer=_signer(data), right_span=5)
    return book.save()


def _points_of(data, side):
    _value_field, field, _note_field = Side(side).fields
    return lambda unit_id, criterion: getattr(data.scores.get((unit_id, criterion.id)), field, None)


def _criteria_table(sheet, data, columns, *, lead, tail=None):
    """Writes the criteria rows, then the totals rows, and returns nothing.

    `columns` maps a column number to (unit id, Side): leaves show that
    side's points, groups a SUM of their children, and the totals rows the content total,
    the capped bonus, the deductions and the total, each a formula with its stored result.
    `lead(criterion, group)` gives the cells before the point columns, `tail(criterion,
    group)` those after them.
    """
    row_of = _criteria_rows(sheet, data, columns, lead=lead, tail=tail)
    lead_span = len(lead(data.criteria[0], False)) if data.criteria else 3
    _totals_rows(sheet, data, columns, row_of=row_of, lead_span=lead_span)


def _criteria_rows(sheet, data, columns, *, lead, tail) -> dict[int, int]:
    """One row per criterion: a leaf's points, a group's SUM of its children. Returns the
    row of each criterion (by id)."""
    kids: dict[int, list[int]] = {}
    for criterion in data.criteria:
        if criterion.parent_id:
            kids.setdefault(criterion.parent_id, []).append(criterion.id)
    start = sheet.row + 1
    row_of = {c.id: start + i for i, c in enumerate(data.criteria)}
    value_of = {side: _points_of(data, side) for side in Side}
    sums_of = {Side.VERIFIED: data.sums, Side.SELF: data.self_sums}
    # Most cells are a leaf's points: one format, looked up once.
    points = sheet.cell(None, align="right", number=POINTS_FORMAT, border=True).format
    for criterion in data.criteria:
        group = not criterion.is_leaf
        style = {"border": True, "fill": GROUP_FILL if group else None}
        values = lead(criterion, group)
        for col, (unit_id, side) in columns.items():
            if not group:
                values.append(Styled(_num(value_of[side](unit_id, criterion)), points, False, 12))
            else:
                refs = ",".join(f"{get_column_letter(col)}{row_of[k]}" for k in kids[criterion.id])
                values.append(
                    Formula(
                        f"=SUM({refs})",
                        sums_of[side][unit_id].get(criterion.id, 0),
                        bold=True,
                        align="right",
                        number=POINTS_FORMAT,
                        **style,
                    )
                )
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
        return "=" + (text if cap is None else f"MIN({text},{_xml_number(cap)})")

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


def _totals_line(sheet, data, columns, label, formula, attribute, lead_span, *, bold):
    """One totals row: its label across the lead columns, then a formula per point column."""
    totals_of = {Side.VERIFIED: data.totals, Side.SELF: data.self_totals}
    values = [sheet.cell(label, bold=True, border=True, fill=GROUP_FILL)]
    values += [sheet.cell(None, border=True, fill=GROUP_FILL)] * (lead_span - 1)
    for col, (unit_id, side) in columns.items():
        values.append(
            Formula(
                formula(col),
                getattr(totals_of[side][unit_id], attribute),
                bold=bold,
                align="right",
                border=True,
                number=POINTS_FORMAT,
                fill=GROUP_FILL,
            )
        )
    sheet.append(values)
    sheet.merge(1, lead_span)


def matrix_workbook(data, *, day: datetime.date) -> bytes:
    """Every criterion × every unit: verified points, group subtotals and totals."""
    compact = data.compact
    book = Book()
    sheet = ReportSheet(
        book, "Bảng điểm", [8, 46, 11] + [11] * len(data.members), freeze=f"D{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=_place(data),
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
    _criteria_table(sheet, data, columns, lead=_lead(sheet))
    sheet.signature_block(
        cluster=compact.cluster, signer=_signer(data), right_span=max(1, min(5, len(data.members)))
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
        place=_place(data),
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
        lead=_lead(sheet, targets_for=unit_id, data=data),
        tail=tail,
    )
    sheet.signature_block(cluster=compact.cluster, signer=_signer(data), right_span=4)
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
