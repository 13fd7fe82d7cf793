"""`python manage.py close_due_mergers`: closes the units whose merger, recorded in advance,
has taken effect (inactive, their accounts locked when asked). Sign-ins do it too; run this
daily from cron (just after midnight, local time) so that sessions already open end on the
merger date even when nobody signs in. Idempotent.
"""

from django.core.management.base import BaseCommand
from django.utils import formats
from django.utils.translation import gettext as _

from scoring.services.successions import close_due_mergers


class Command(BaseCommand):
    help = "Closes the units whose merger, recorded in advance, has taken effect."

    def handle(self, *args, **options):
        closed = close_due_mergers()
        count = formats.number_format(closed, force_grouping=True)
        self.stdout.write(_("Units closed: %(count)s.") % {"count": count})
