"""The change history every tracked model keeps (django-simple-history), with its manager
class made once.

simple-history's `Model.history` descriptor builds a new manager class
(`Manager.from_queryset`) on every access, and every save of a tracked object reads it to
write its historical record: about 0.1 ms of class building per save, most of the time a
history row takes. `HistoricalRecords` here hands the descriptor a manager whose
`from_queryset` is remembered per queryset class; the manager, its querysets and the
historical models are the same as before (no migration).
"""

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    """simple_history's HistoricalRecords, whose history manager class is built once."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
