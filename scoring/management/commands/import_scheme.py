import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scoring import ranking, schemes, services
from scoring.excel import WorkbookError, parse_scheme_workbook
from scoring.models import Compact


class Command(BaseCommand):
    help = (
        "Reads a scoring scheme from an Excel table (the web import's reader) and imports it "
        "into the draft compact of --cluster and --year. With --dry-run it only reads and "
        "reports (no cluster needed); --format json prints one JSON summary. The exit status "
        "is 0 only when the table has no problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--cluster", type=int, help="cluster number, e.g. 12")
        parser.add_argument("--year", type=int)
        parser.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--user", help="the username recorded as the author of the import")

    def handle(self, *args, file, cluster, year, dry_run, format, user, **options):
        if not dry_run and (cluster is None or year is None):
            raise CommandError(_("Give --cluster and --year, or --dry-run to only read the file."))
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file %(name)s.") % {"name": file})
        # The file is checked before the database is touched: a hostile file costs nothing.
        try:
            with path.open("rb") as handle:
                parsed = parse_scheme_workbook(handle)
        except WorkbookError as error:
            if format == "json":
                problem = {"row": None, "message": error.message}
                self.stdout.write(json.dumps({"problems": [problem]}, ensure_ascii=False))
            raise CommandError(error.message) from None
        summary = summarize(parsed)
        if format == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self._print(summary)
        if parsed.problems:
            raise CommandError(
                _("%(count)s problem(s); nothing was imported.") % {"count": len(parsed.problems)}
            )
        if cluster is None or year is None:
            return
        compact = Compact.objects.filter(cluster__number=cluster, year=year).first()
        if compact is None:
            raise CommandError(
                _("No compact for cluster %(cluster)s in %(year)s.")
                % {"cluster": cluster, "year": year}
            )
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(_("No user %(name)s.") % {"name": user})
        if dry_run:
            return
        try:
            count = schemes.apply_import(compact=compact, user=author, parsed=parsed)
        except services.ServiceError as error:
            raise CommandError(error.message) from None
        if format != "json":
            self.stdout.write(
                self.style.SUCCESS(_("Imported %(count)s criteria.") % {"count": count})
            )

    def _print(self, summary):
        for group in summary["groups"]:
            self.stdout.write(f"{group['code']}. {group['title']}: {_points(group['maximum'])}")
        self.stdout.write(
            f"content_total={_points(summary['content_total'])} "
            f"leaf_count={summary['leaf_count']} leaf_total={_points(summary['leaf_total'])} "
            f"max_depth={summary['max_depth']} bonus_cap={_points(summary['bonus_cap'])} "
            f"bonus_items={summary['bonus_items']} "
            f"deduction_items={summary['deduction_items']}"
        )
        for problem in summary["problems"]:
            self.stderr.write(problem["message"])


def _points(value) -> str:
    return "—" if value is None else ranking.format_points(Decimal(str(value)))


def _number(text):
    """A JSON number for a Decimal given as text: an int when whole; otherwise a float, whose
    printed form is the Decimal's digits (points have at most two decimals)."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def summarize(parsed) -> dict:
    """What the import would create: the content groups with their maxima, the content
    leaves, the depth (a group alone is 1), the bonus cap and the number of bonus and
    deduction items (the leaves under those sections), every problem with its row (None when
    it concerns the whole table)."""
    parents = {node.parent_code for node in parsed.nodes if node.parent_code}
    side = (ranking.Kind.BONUS, ranking.Kind.DEDUCTION)
    content = [node for node in parsed.nodes if node.kind not in side]
    leaves = [node for node in content if node.code not in parents]

    def items(kind):
        return sum(
            1
            for node in parsed.nodes
            if node.kind == kind and node.level > 1 and node.code not in parents
        )

    return {
        "groups": [
            {"code": node.code, "title": node.title, "maximum": _number(node.max_points)}
            for node in content
            if node.level == 1
        ],
        "content_total": _number(parsed.content_total),
        "leaf_count": len(leaves),
        "leaf_total": _number(
            str(sum((Decimal(node.max_points or 0) for node in leaves), Decimal(0)))
        ),
        "max_depth": max((node.level for node in parsed.nodes), default=0),
        "bonus_cap": _number(parsed.bonus_cap),
        "bonus_items": items(ranking.Kind.BONUS),
        "deduction_items": items(ranking.Kind.DEDUCTION),
        "problems": [{"row": i["row"], "message": i["message"]} for i in parsed.issues],
    }
