"""`python manage.py check_totals [--repair] [--compact ID …]`: compares the maintained
totals (what rankings read) with the sums of the scores, compact by compact, and lists the
compacts that differ; `--repair` rebuilds those from their scores. Exits with status 1 when
differences remain, so that cron or monitoring notices. Reads only, unless repairing.
"""

from django.core.management.base import BaseCommand
from django.utils import formats
from django.utils.translation import gettext as _

from scoring.models import Compact
from scoring.services.totals import compare_totals, rebuild_totals

BATCH = 50  # compacts compared at once (a national compact holds 12,500 scores)


class Command(BaseCommand):
    help = (
        "Compares the maintained totals with the scores; --repair rebuilds the compacts "
        "whose totals differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild what differs")
        parser.add_argument(
            "--compact", type=int, action="append", help="a compact's id (default: all)"
        )

    def handle(self, *args, repair, compact, **options):
        compacts = Compact.objects.order_by("pk")
        if compact:
            compacts = compacts.filter(pk__in=compact)
        ids = list(compacts.values_list("pk", flat=True))
        differing = []
        for start in range(0, len(ids), BATCH):
            differing += compare_totals(ids[start : start + BATCH])
        for difference in differing:
            self.stdout.write(
                _("Compact %(id)s: %(rows)s rows of its totals differ from its scores.")
                % {"id": difference.compact_id, "rows": _number(difference.rows)}
            )
        if differing and repair:
            wrong = [d.compact_id for d in differing]
            rebuild_totals(wrong)
            differing = compare_totals(wrong)
            self.stdout.write(
                _("Rebuilt the totals of %(count)s compacts.") % {"count": _number(len(wrong))}
            )
        self.stdout.write(
            _("Checked %(count)s compacts: %(wrong)s with totals that differ from their scores.")
            % {"count": _number(len(ids)), "wrong": _number(len(differing))}
        )
        if differing:
            raise SystemExit(1)


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)
