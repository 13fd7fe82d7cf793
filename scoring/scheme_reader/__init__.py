"""Reading a scoring scheme from the rows of the table a secretariat typed.

Pure functions over rows of cell values (no openpyxl, no database): `read_scheme` takes
`(row number, [cell values])` pairs, finds the header, and returns the criteria tree with
every problem and its row. `scoring.excel.parse_scheme_workbook` feeds it a workbook's rows.

How the table is read:

- The header is on any of the first rows: an STT column ("STT", "TT"), a content column
  ("Nội dung", "Tiêu chí") and a points column ("Điểm", preferring "chuẩn"/"tối đa"/"thang
  điểm"); optionally a rule column ("Cách chấm", "Phương pháp chấm") and a note column ("Ghi
  chú"). A second header row under it ("Tối đa | Ghi chú") refines the columns and is skipped,
  as is a row of column numbers "(1) (2) (3)".
- Depth comes from each code's shape and the order of rows, not from a pattern per level. The
  open ancestors form a stack; a code is the next sibling of the nearest open node of the same
  shape whose numbering it continues ("2" after "1", "b" after "a", "II" after "I"), a child of
  the open node its dotted prefix names ("1.1.2" under "1.1", "2.a)" under "2", "27a" under
  "27"), and otherwise starts a new level under the deepest open node — numbering restarts
  under each parent. Upper-case Roman numerals are always groups.
- Parts split the table: "A", "B", "C" or "Phần I/II/III". Their words decide their section,
  not their letter: "điểm thưởng"/"điểm cộng" is bonus, "điểm trừ" deductions, anything else
  content. A part whose rows are Roman-numbered groups only wraps them (it is not a criterion;
  its maximum is checked against theirs); otherwise the part is itself a group.
- Maxima as numbers, as text ("150 điểm", "tối đa 50 điểm") or only in the title ("… (150
  điểm)"); deductions may be typed negative. A group without a maximum takes its children's sum.
- A total row ("Tổng cộng", "Cộng …") is checked against the groups above it and not imported.
- Every problem is collected with its row, in Vietnamese, so the secretariat sees them all at
  once; nothing is guessed (an unknown "Cách chấm" phrase is a problem, not a judged criterion).

The package: `result` (ParsedNode, ParsedScheme), `text` (words and numbers in a cell),
`header` (the header rows and columns), `codes` (a code's shape), `reader` (`read_scheme`).
Callers import from `scoring.scheme_reader`.
"""

from .codes import Shape, bare_code, shape_of, typed_code
from .header import Columns, find_header
from .reader import read_scheme
from .result import MAX_CODE_LENGTH, MAX_DEPTH, STORED_RULES, ParsedNode, ParsedScheme
from .text import cap_in, number_in, plain, points_in_title, roman_value, section_named

__all__ = [
    "MAX_CODE_LENGTH",
    "MAX_DEPTH",
    "STORED_RULES",
    "Columns",
    "ParsedNode",
    "ParsedScheme",
    "Shape",
    "bare_code",
    "cap_in",
    "find_header",
    "number_in",
    "plain",
    "points_in_title",
    "read_scheme",
    "roman_value",
    "section_named",
    "shape_of",
    "typed_code",
]
