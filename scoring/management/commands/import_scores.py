from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scoring import ranking, services
from scoring.excel import WorkbookError, read_filled_template
from scoring.models import Compact


class Command(BaseCommand):
    help = (
        "Imports a filled self-assessment template: checks the whole file, shows every change "
        "(old → new), then writes them in one transaction (not with --dry-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--cluster", type=int, required=True, help="cluster number, e.g. 12")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="check and show, write nothing")
        parser.add_argument("--user", help="the username recorded as the author of the changes")

    def handle(self, *args, file, cluster, year, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file %(name)s.") % {"name": file})
        # The file is checked before the database is touched (within the bounds of a template
        # of any compact): a hostile file costs nothing.
        try:
            with path.open("rb") as handle:
                filled = read_filled_template(handle)
        except WorkbookError as error:
            raise CommandError(error.message) from None
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
        preview = services.preview_template_import(compact=compact, filled=filled, user=author)
        for change in preview.changes:
            old = "—" if change["old"] is None else ranking.format_points(change["old"])
            new = "—" if change["new"] is None else ranking.format_points(change["new"])
            self.stdout.write(f"{change['code']}: {old} → {new}")
        if preview.problems:
            for problem in preview.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("%(count)s problem(s); nothing was written.") % {"count": len(preview.problems)}
            )
        if dry_run:
            self.stdout.write(
                _("%(count)s change(s); --dry-run: nothing written.")
                % {"count": len(preview.changes)}
            )
            return
        try:
            written = services.apply_template_import(compact=compact, preview=preview, user=author)
        except services.ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(count)s score(s) for %(unit)s.")
                % {"count": written, "unit": preview.unit}
            )
        )
