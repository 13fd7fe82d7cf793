"""What the reader returns: the parsed nodes of the tree and the scheme with its problems."""

from dataclasses import asdict, dataclass, field

from .. import ranking

MAX_CODE_LENGTH = 50  # Criterion.code
MAX_DEPTH = 8  # scoring.models.MAX_DEPTH (the reader knows no models)
# Rules the criterion model stores (per occurrence on content: the count kind); the phrase
# is kept in the guidance too.
STORED_RULES = {
    ranking.Kind.JUDGED.value: (ranking.Kind.JUDGED, ""),
    ranking.Kind.PASS_FAIL.value: (ranking.Kind.PASS_FAIL, ""),
    ranking.Rule.PROPORTIONAL.value: (ranking.Kind.QUANTITATIVE, ranking.Rule.PROPORTIONAL),
    ranking.Rule.FULL_AT_TARGET.value: (ranking.Kind.QUANTITATIVE, ranking.Rule.FULL_AT_TARGET),
    ranking.Rule.CLUSTER_RELATIVE.value: (
        ranking.Kind.QUANTITATIVE,
        ranking.Rule.CLUSTER_RELATIVE,
    ),
}


@dataclass
class ParsedNode:
    row: int
    code: str  # the path, unique in the scheme: "Phần I.1.1"
    title: str
    level: int
    parent_code: str | None
    kind: str = ranking.Kind.JUDGED
    max_points: str | None = None  # Decimal as text, for the session
    per_occurrence: str | None = None
    guidance: str = ""
    typed_code: str = ""  # as the secretariat typed it: "1.1.", "2.a)", "-"
    rule: str = ""  # ranking.Rule for quantitative criteria
    method: str = ""  # the rule the "Cách chấm" phrase names (rules.rule_from_text)
    lower_is_better: bool = False  # cluster-relative: by the phrase or the title's words

    @property
    def kind_label(self) -> str:
        """The kind as the user reads it ("điểm thưởng"), not its stored value ("bonus")."""
        return ranking.Kind(self.kind).label


@dataclass
class ParsedScheme:
    sheet: str = ""
    header_row: int = 0
    nodes: list[ParsedNode] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)  # {"row": int | None, "message": str}
    content_total: str = "0"
    bonus_cap: str | None = None
    deduction_cap: str | None = None

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        scheme = cls(**{k: v for k, v in data.items() if k != "nodes"})
        scheme.nodes = [ParsedNode(**node) for node in data["nodes"]]
        return scheme

    def problem(self, row: int | None, message: str) -> None:
        self.problems.append(message)
        self.issues.append({"row": row, "message": message})
