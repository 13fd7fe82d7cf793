"""Opening an uploaded workbook within its limits (see `scoring.workbooks`), as a stream.
Used by both importers: `scheme_import` and `template`."""

from .. import workbooks


def open_upload(upload, *, data_only=True, limits=None):
    """The checked workbook (see scoring/workbooks.py), read as a stream."""
    return workbooks.open_workbook(
        upload, limits=limits or workbooks.scheme_limits(), data_only=data_only
    )
