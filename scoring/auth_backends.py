"""An authentication step that signs nobody in: before any password is checked, the units
whose merger (recorded in advance) has taken effect are closed and their accounts locked
(`services.successions.close_due_mergers`), so an absorbed unit's officer cannot sign in
from the merger date on, even where no daily job runs. One query when nothing is due."""

from .services.successions import close_due_mergers


class CloseDueMergersBackend:
    """Only `authenticate`, which returns None: no `get_user` either, so that a session is
    never attributed to this backend (the test client's `force_login` picks the first
    backend that has one)."""

    def authenticate(self, request, **credentials):
        close_due_mergers()
        return None
