import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scoring import docx_documents, review
from scoring.models import Compact
from scoring.reports import REPORTS, UNIT_REPORTS, build_report
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Writes one of the Excel reports of a cluster's compact, or a document of its year-end "
        "review (minutes, ballot, proposal: .docx), to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cluster", type=int, required=True, help="cluster number, e.g. 12")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--report", choices=[*REPORTS, *docx_documents.DOCUMENTS], required=True
        )
        parser.add_argument("--unit", help="unit code, for the unit sheet and the template")
        parser.add_argument("--output", required=True, help="the .xlsx (.docx) file to write")
        parser.add_argument("--date", help="the document's date (YYYY-MM-DD); default today")

    def handle(self, *args, cluster, year, report, unit, output, date, **options):
        compact = Compact.objects.filter(cluster__number=cluster, year=year).first()
        if compact is None:
            raise CommandError(f"No compact for cluster {cluster} in {year}.")
        if report in docx_documents.DOCUMENTS:
            state = review.review_state(compact)
            if state.meeting is None:
                raise CommandError(f"No review meeting is recorded for cluster {cluster}, {year}.")
            _name, content = docx_documents.build(state, report)
            Path(output).write_bytes(content)
            self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
            return
        unit_obj = None
        if report in UNIT_REPORTS:
            if not unit:
                raise CommandError(f"--unit is required for the {report} report.")
            unit_obj = Unit.objects.filter(code=unit).first()
            if unit_obj is None or not compact.memberships().filter(unit=unit_obj).exists():
                raise CommandError(f"{unit} is not a member unit of that compact.")
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.") from None
        _name, content = build_report(compact, report, unit=unit_obj, day=day)
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
